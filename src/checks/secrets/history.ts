/** Streams `git log -p` and yields, per commit and file, the lines that commit added, with their line numbers. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface HistoryFragment {
  commit: string;
  author: string;
  date: string;
  /** Path in the repository, forward slashes. */
  file: string;
  text: string;
  /** File line number of each fragment line. */
  lines: number[];
}

const COMMIT_MARK = '\x1eCOMMIT ';
const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of unusual paths ("a\\tb"). Bytes stay latin1, like every text the scanner sees. */
function unquotePath(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  return raw
    .slice(1, -1)
    .replace(/\\([0-7]{3}|.)/g, (_, esc: string) =>
      esc.length === 3 ? String.fromCharCode(Number.parseInt(esc, 8)) : ({ n: '\n', t: '\t' }[esc] ?? esc),
    );
}

/** `onCommit` sees every commit, including those that only delete lines. */
export async function* readHistory(
  root: string,
  signal?: AbortSignal,
  onCommit?: (hash: string) => void,
): AsyncGenerator<HistoryFragment> {
  const args = [
    '-C',
    root,
    '-c',
    'core.quotepath=off',
    'log',
    '-p',
    '-U0',
    '--no-color',
    '--no-ext-diff',
    '--no-renames',
  ];
  // `-- .` keeps a scan of a subdirectory to that subdirectory's history.
  args.push('--full-history', '--all', `--format=${COMMIT_MARK}%H%x1f%an%x1f%aI`, '--', '.');
  const child = spawn('git', args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => {}); // awaited at the end; a spawn error surfaces there

  let commit = { commit: '', author: '', date: '' };
  let file: string | undefined;
  let text: string[] = [];
  let lines: number[] = [];
  let oldLeft = 0;
  let newLeft = 0;
  let lineNo = 0;
  const flush = (): HistoryFragment | undefined => {
    const fragment = file && text.length ? { ...commit, file, text: text.join('\n'), lines } : undefined;
    text = [];
    lines = [];
    return fragment;
  };

  // A consumer that stops early (an error downstream) must not leave git writing into a pipe nobody reads.
  let finished = false;
  const stop = () => {
    if (child.exitCode === null) child.kill();
  };
  const input = createInterface({
    input: child.stdout.setEncoding('latin1'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    for await (const line of input) {
      if (oldLeft > 0 || newLeft > 0) {
        const tag = line[0];
        if (tag === '+') {
          text.push(line.slice(1));
          lines.push(lineNo++);
          newLeft--;
        } else if (tag === '-') oldLeft--;
        else if (tag === ' ') {
          oldLeft--;
          newLeft--;
          lineNo++;
        }
        continue;
      }
      const hunk = HUNK.exec(line);
      if (hunk) {
        oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
        lineNo = Number(hunk[2]);
        newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
      } else if (line.startsWith(COMMIT_MARK)) {
        const done = flush();
        if (done) yield done;
        const [hash = '', author = '', date = ''] = line.slice(COMMIT_MARK.length).split('\x1f');
        commit = { commit: hash, author: Buffer.from(author, 'latin1').toString('utf8'), date };
        onCommit?.(hash);
        file = undefined;
      } else if (line.startsWith('diff --git ')) {
        const done = flush();
        if (done) yield done;
        file = undefined;
      } else if (line.startsWith('+++ ')) {
        const target = line.slice(4);
        file = target === '/dev/null' ? undefined : unquotePath(target).replace(/^b\//, '');
      }
    }
    finished = true;
  } finally {
    if (!finished) stop();
  }
  const last = flush();
  if (last) yield last;
  const code = await exited;
  if (code !== 0) throw new Error(`git log failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
}
