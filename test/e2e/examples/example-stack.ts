/**
 * An example stack (examples/<name>/opsbook.yaml) in a scratch directory with its addresses moved to loopback:
 * service URLs point at a local health server, platform ids at the fakes. Nothing else of the example changes
 * unless a test says so (a shorter bake window, named in the test).
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from '../../support/demo-stack.js';
import { type CliRun, runCli } from '../../support/run-cli.js';

export interface ExampleStack {
  dir: string;
  /** Sets a value of the copied opsbook.yaml by path and writes it back. */
  set(path: (string | number)[], value: unknown): Promise<void>;
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun>;
  close(): Promise<void>;
}

export async function exampleStack(name: string, env: NodeJS.ProcessEnv = {}): Promise<ExampleStack> {
  const dir = await mkdtemp(join(tmpdir(), `opsbook-example-${name}-`));
  const file = join(dir, 'opsbook.yaml');
  await copyFile(join(repoRoot, 'examples', name, 'opsbook.yaml'), file);
  // The copy has no schema next to it; the comment line would only point editors at a missing file.
  const doc = parseDocument(await readFile(file, 'utf8'));
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: '1',
    CI: '1',
    OPSBOOK_ACTOR: 'e2e <e2e@opsbook.dev>',
    OPSBOOK_DEPLOY_POLL_MS: '50',
    ...env,
  };
  return {
    dir,
    async set(path, value) {
      doc.setIn(path, value);
      await writeFile(file, doc.toString());
    },
    run: (args, more = {}) => runCli(args, dir, { ...base, ...more }),
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The JSON envelope of a `--json` run. */
export function envelope(run: CliRun): { ok: boolean; data: Record<string, unknown> } {
  try {
    return JSON.parse(run.stdout) as { ok: boolean; data: Record<string, unknown> };
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}
