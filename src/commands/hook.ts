/** `opsbook hook install|uninstall|status|pre-push`: the gates run before a push-triggered platform builds. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { deploysOnPush } from '../config/index.js';
import {
  hookScript,
  hookState,
  installHook,
  locateHook,
  parsePushedRefs,
  planPrePush,
  uninstallHook,
} from '../hook/index.js';
import { flagBool } from './args.js';
import { run as check } from './check.js';
import { configFor } from './config.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const exec = promisify(execFile);
/** The opsbook running now: what the hook calls first. */
const self = () => ({ node: process.execPath, main: process.argv[1] ?? '' });

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Runs from the hook: checks each environment the push deploys; a failure stops the push. */
async function prePush(input: CommandInput, refsText: string): Promise<CommandOutcome> {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: input.cwd })).stdout.trim();
  const plan = planPrePush(loaded.config, parsePushedRefs(refsText), head);
  if (plan.notCheckedOut.length) {
    const what = plan.notCheckedOut.map((n) => `${n.branch} at ${n.sha.slice(0, 12)}`).join(', ');
    return {
      ok: false,
      data: plan,
      print: (out) =>
        out.error(
          `push refused: ${what} deploys on push but is not checked out, so its gates cannot be run here`,
          'check it out and push again (or git push --no-verify to skip the gates)',
        ),
    };
  }
  if (!plan.checks.length)
    return {
      ok: true,
      data: plan,
      print: (out) => out.note('opsbook: this push deploys nothing; no gates to run'),
    };
  const confirm = (input.env.OPSBOOK_CONFIRM ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const results: CommandOutcome[] = [];
  for (const c of plan.checks) {
    input.out.note(`opsbook: ${c.branch} deploys ${c.environment} on push; running its gates first`);
    const r = await check({
      ...input,
      interactive: false,
      values: { ...input.values, env: c.environment, confirm },
    });
    r.print?.(input.out);
    results.push(r);
  }
  const ok = results.every((r) => r.ok);
  return {
    ok,
    data: { ...plan, results: results.map((r) => r.data) },
    print: (out) =>
      ok
        ? out.success('opsbook: gates passed; pushing')
        : out.error(
            'push refused: a required gate failed',
            'fix it and push again (git push --no-verify skips the gates)',
          ),
  };
}

export const run: CommandHandler = async (input) => {
  const action = input.positionals[0] ?? 'status';
  if (action === 'pre-push') return prePush(input, await readStdin());
  if (action === 'install') {
    const loaded = await configFor(input);
    if (loaded.failure) return loaded.failure;
    const pushing = Object.keys(loaded.config.environments).filter((e) => deploysOnPush(loaded.config, e));
    const r = await installHook(input.cwd, self(), flagBool(input, 'force'));
    return {
      ok: true,
      data: { ...r, pushing },
      print: (out) => {
        out.success(
          r.changed ? `pre-push hook written to ${r.path}` : `pre-push hook already installed at ${r.path}`,
        );
        if (!pushing.length)
          out.warn(
            'no environment deploys on push (deploy.trigger or environments.*.autoDeploy): the hook will check nothing',
          );
      },
    };
  }
  if (action === 'uninstall') {
    const r = await uninstallHook(input.cwd);
    return {
      ok: true,
      data: r,
      print: (out) => out.success(r.removed ? `removed ${r.path}` : `no pre-push hook at ${r.path}`),
    };
  }
  const location = await locateHook(input.cwd);
  const state = await hookState(location, hookScript(location, self()));
  const words = {
    installed: 'installed',
    outdated: "installed by another opsbook (run 'opsbook hook install' to update it)",
    foreign: 'a pre-push hook opsbook did not write',
    absent: "not installed (run 'opsbook hook install')",
  };
  return {
    ok: state === 'installed' || state === 'outdated',
    data: { path: location.path, state },
    print: (out) => out.line(`${location.path}: ${words[state]}`),
  };
};
