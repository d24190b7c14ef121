/** Offset -> line/column for reporting. Built on the first finding only: most texts have none. */

export interface LineIndex {
  locate(offset: number): { line: number; lineStart: number; lineEnd: number };
  /** 1-based column in characters, decoding the line prefix as UTF-8. */
  column(lineStart: number, offset: number): number;
}

export function createLineIndex(text: string): LineIndex {
  let breaks: number[] | undefined;
  const build = () => {
    const found: number[] = [];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) found.push(i);
    return found;
  };
  return {
    locate(offset) {
      breaks ??= build();
      let lo = 0;
      let hi = breaks.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((breaks[mid] as number) < offset) lo = mid + 1;
        else hi = mid;
      }
      const lineStart = lo === 0 ? 0 : (breaks[lo - 1] as number) + 1;
      const lineEnd = lo < breaks.length ? (breaks[lo] as number) : text.length;
      return { line: lo + 1, lineStart, lineEnd: text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd };
    },
    column(lineStart, offset) {
      const prefix = text.slice(lineStart, offset);
      return (
        (/[\u0080-\uffff]/.test(prefix)
          ? Buffer.from(prefix, 'latin1').toString('utf8').length
          : prefix.length) + 1
      );
    },
  };
}
