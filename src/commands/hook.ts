/** `opsbook hook install|uninstall|status|pre-push`: the gates run before a push-triggered platform builds. */
import { hookInstall, hookPrePush, hookStatus, hookUninstall } from '../app/hook.js';
import { configFor } from './config.js';
import { prePushWatcher, printInstall, printPrePush, printState } from './hook-render.js';
import type { HOOK_ARGS } from './specs-release.js';
import type { CommandHandler } from './types.js';

/** The opsbook running now: what the hook calls first. */
const self = () => ({ node: process.execPath, main: process.argv[1] ?? '' });

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

export const run: CommandHandler<typeof HOOK_ARGS> = async (input) => {
  const action = input.positionals[0] ?? 'status';
  const base = { cwd: input.cwd, env: input.env, signal: input.signal, redactor: input.out.redactor };
  if (action === 'install' || action === 'pre-push') {
    const refs = action === 'pre-push' ? await readStdin() : '';
    const loaded = await configFor(input);
    if (loaded.failure) return loaded.failure;
    const withConfig = { ...base, config: loaded.config, configFile: loaded.file };
    if (action === 'install') {
      const r = await hookInstall({ ...withConfig, cli: self(), force: input.values.force });
      return { ok: true, data: r, print: (out) => printInstall(out, r) };
    }
    const r = await hookPrePush({ ...withConfig, refs, onCheck: prePushWatcher(input.out) });
    const data = r.status === 'checked' ? { ...r.plan, results: r.results } : r.plan;
    return { ok: r.ok, data, print: (out) => printPrePush(out, r) };
  }
  if (action === 'uninstall') {
    const r = await hookUninstall(base);
    return {
      ok: true,
      data: r,
      print: (out) => out.success(r.removed ? `removed ${r.path}` : `no pre-push hook at ${r.path}`),
    };
  }
  const s = await hookStatus({ ...base, cli: self() });
  return {
    ok: s.state === 'installed' || s.state === 'outdated',
    data: s,
    print: (out) => printState(out, s),
  };
};
