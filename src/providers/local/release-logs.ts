// One release's log: the supervisor's notes and the release's output, masked, kept in memory for the cursor API and
// appended to <service>/releases/<id>.log for people.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { createRedactor, type Redactor } from '../../redact/index.js';
import type { LogLine } from '../types.js';

const MAX_LINES = 5000;

export class ReleaseLog {
  private lines: LogLine[] = [];
  /** Absolute number of the first line still held; a cursor is an absolute line number. */
  private base = 0;
  private file: WriteStream | undefined;
  private readonly redactor: Redactor;

  constructor(path: string, secrets: string[]) {
    this.redactor = createRedactor(secrets);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.file = createWriteStream(path, { flags: 'a', mode: 0o600 });
    this.file.on('error', () => {
      this.file = undefined;
    });
  }

  /** Later starts of the same release (a rollback restart) may bring new secret values. */
  addSecrets(secrets: string[]): void {
    this.redactor.add(secrets);
  }

  add(source: LogLine['source'], text: string): void {
    const line: LogLine = { at: new Date().toISOString(), source, text: this.redactor.redact(text) };
    this.lines.push(line);
    if (this.lines.length > MAX_LINES) {
      const drop = this.lines.length - MAX_LINES;
      this.lines.splice(0, drop);
      this.base += drop;
    }
    this.file?.write(`${line.at} ${source.padEnd(7)} ${line.text}\n`);
  }

  /** Lines after `cursor` and the cursor to pass next time. */
  after(cursor: number): { lines: LogLine[]; cursor: string } {
    const from = Math.max(cursor - this.base, 0);
    return { lines: this.lines.slice(from), cursor: String(this.base + this.lines.length) };
  }

  /**
   * The last lines of the release's own output, for a failure reason. A stack trace's tail says little, so the
   * last error line before the tail comes first.
   */
  tail(count: number): string[] {
    const output = this.lines.filter((l) => l.source === 'runtime').map((l) => l.text);
    const tail = output.slice(-count);
    const error = output.slice(0, -count).findLast((l) => /\b(error|exception|fatal|panic)\b/i.test(l));
    return error ? [error, '…', ...tail] : tail;
  }

  close(): void {
    this.file?.end();
    this.file = undefined;
  }
}
