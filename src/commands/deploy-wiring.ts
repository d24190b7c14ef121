/** Wires a deployment run from the CLI: providers, gates, migrations, verification probes and prompts. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { currentActor } from '../actor/index.js';
import type { StackConfig } from '../config/index.js';
import { type DeployProgress, type RunDeployOptions, readState } from '../deploy/index.js';
import { UserError } from '../errors.js';
import type { Output } from '../output/index.js';
import { createProvider } from '../providers/index.js';
import type { Store } from '../store/index.js';
import { createMeasure } from '../verify/index.js';
import { flagBool, flagList } from './args.js';
import { askFor } from './prompt.js';
import type { CommandInput } from './types.js';

const exec = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return (await exec('git', args, { cwd })).stdout.trim();
  } catch {
    return undefined;
  }
}

/** HEAD and the commits since the last successful deploy of the environment: the lead-time evidence. */
export async function commitInfo(cwd: string, store: Store, environment: string) {
  const commit = (await git(cwd, ['rev-parse', 'HEAD'])) ?? null;
  if (!commit) return { commit, commitRange: [] };
  const [last] = await store.listRuns({ kind: 'deploy', environment, status: 'succeeded', limit: 1 });
  const since = last ? readState(last)?.commit : undefined;
  const range = since && since !== commit ? `${since}..${commit}` : commit;
  const log = (await git(cwd, ['log', '--format=%H%x09%cI%x09%s', '-n', since ? '200' : '1', range])) ?? '';
  const commitRange = log
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [sha = '', at = '', ...subject] = l.split('\t');
      return { sha, at, subject: subject.join('\t') };
    });
  return { commit, commitRange };
}

export function progressPrinter(out: Output): (p: DeployProgress) => void {
  return (p) => {
    switch (p.type) {
      case 'phase':
        out.note(`▸ ${p.message}`);
        break;
      case 'service':
        out.note(`  ${p.service}: ${p.message}`);
        break;
      case 'log':
        if (p.kind !== 'plain')
          out.note(
            `  ${p.service} │ ${p.kind === 'trouble' ? out.style('red', p.line) : out.style('green', p.line)}`,
          );
        break;
      case 'measurement': {
        const mark =
          p.outcome === 'successful'
            ? out.style('green', '✓')
            : p.outcome === 'failed'
              ? out.style('red', '✗')
              : out.style('yellow', '?');
        out.note(`  ${mark} measurement ${p.index + 1}/${p.count}: ${p.detail}`);
        break;
      }
    }
  };
}

export function deployOptions(
  input: CommandInput,
  config: StackConfig,
  store: Store,
  environment: string,
): Omit<RunDeployOptions, 'commit' | 'commitRange'> {
  const actor = currentActor(input.cwd, input.env);
  return {
    cwd: input.cwd,
    config,
    environment,
    store,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    actor,
    providerFor: (service) => createProvider(service, { cwd: input.cwd, env: input.env }),
    runGates: async (ids) => {
      // Loaded when a run gets here: a resumed or gate-less deploy does not pay for the gates or the SQL parser.
      const { countLine, replayNote, runChecks } = await import('../checks/gates/index.js');
      const r = await runChecks({
        cwd: input.cwd,
        config,
        environment,
        env: input.env,
        signal: input.signal,
        redactor: input.out.redactor,
        actor,
        store,
        only: ids,
        confirm: flagList(input, 'confirm'),
        noCache: flagBool(input, 'no-cache'),
        ask: askFor(input),
      });
      const failed = r.gates.filter((g) => g.status === 'failed' && g.required);
      const replayed = r.gates.filter((g) => g.cached).map((g) => `${g.id} (${replayNote(g)})`);
      return {
        passed: r.passed,
        summary: failed.length
          ? `${failed.map((g) => `${g.id}: ${g.summary}`).join('; ')} (${countLine(r)})`
          : `${countLine(r)}${replayed.length ? `; ${replayed.join(', ')}` : ''}`,
      };
    },
    migrate: async () => {
      const m = config.migrations!;
      if (m.engine !== 'sql' && !m.command)
        return {
          ok: true,
          summary: `skipped: ${m.engine} migrations are run by the platform or the release itself (no migrations.command)`,
        };
      // Loaded when a run gets here: a resumed or migration-less deploy does not pay for the SQL parser.
      const { describeExit, migrateOptionsFromConfig, migrateUp, runShell } = await import(
        '../migrations/index.js'
      );
      const options = migrateOptionsFromConfig(config, {
        cwd: input.cwd,
        env: input.env,
        redactor: input.out.redactor,
        signal: input.signal,
      })!;
      const onProgress = (msg: string) => input.out.note(`  migrate: ${msg}`);
      try {
        if (!options.databaseUrl) {
          if (m.engine === 'sql' || !m.command)
            return {
              ok: true,
              summary: `skipped: ${m.urlEnv} is not set, so there is no database to migrate`,
            };
          // The engine finds its database itself; without the URL opsbook can only report the command's result.
          const run = await runShell(m.command, {
            cwd: input.cwd,
            env: input.env,
            signal: input.signal,
            onLine: onProgress,
          });
          return run.ok
            ? { ok: true, summary: `\`${m.command}\` done (history not checked: ${m.urlEnv} is not set)` }
            : {
                ok: false,
                summary: `\`${m.command}\` failed (${describeExit(run)}): ${run.tail.split('\n').slice(-3).join(' | ')}`,
              };
        }
        const r = await migrateUp({ ...options, onProgress });
        const failed = r.diagnostics.filter((d) => d.severity === 'error');
        return {
          ok: r.ok,
          summary: r.ok
            ? `${r.applied.length} migration(s) applied to ${r.target}`
            : `${failed.length} problem(s): ${failed
                .slice(0, 2)
                .map((d) => d.message)
                .join('; ')}`,
        };
      } catch (error) {
        // Bad input or an unreachable database is a failed migration step (the deploy stops cleanly), not a crash.
        if (!(error instanceof UserError)) throw error;
        return { ok: false, summary: `${error.message}${error.hint ? ` (${error.hint})` : ''}` };
      }
    },
    measure: createMeasure({
      config,
      environment,
      env: input.env,
      signal: input.signal,
      redactor: input.out.redactor,
    }),
    ask: askFor(input),
    confirmed: flagList(input, 'confirm'),
    onProgress: progressPrinter(input.out),
    ...testHooks(input.env),
  };
}

/**
 * Two hooks for the crash-matrix tests (DEVELOPERS.md): OPSBOOK_CRASH_AT kills the process with SIGKILL at a
 * journal checkpoint (`phase:deployed`, `after:deploy:api`...); OPSBOOK_DEPLOY_POLL_MS polls loopback fakes faster.
 */
function testHooks(env: NodeJS.ProcessEnv): Pick<RunDeployOptions, 'checkpoint' | 'pollMs'> {
  const crashAt = env.OPSBOOK_CRASH_AT;
  const pollMs = Number(env.OPSBOOK_DEPLOY_POLL_MS);
  return {
    ...(crashAt ? { checkpoint: (point) => point === crashAt && process.kill(process.pid, 'SIGKILL') } : {}),
    ...(pollMs > 0 ? { pollMs } : {}),
  };
}
