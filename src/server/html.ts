/** HTML escaping and the number formats the status page shows. */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const esc = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Never rounds up to 100%: 99.999% shows as 99.99%, so a bad day never looks perfect. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null) return '–';
  if (ratio >= 1) return '100%';
  return `${(Math.floor(ratio * 10_000) / 100).toFixed(2)}%`;
}
