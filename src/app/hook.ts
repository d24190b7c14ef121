/** The hook use-cases: install, remove and inspect the git pre-push hook, and what it runs (the gates of each environment a push deploys). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CheckResult } from '../checks/gates/index.js';
import { deploysOnPush } from '../config/index.js';
import {
  type HookState,
  hookScript,
  hookState,
  installHook,
  locateHook,
  type PushPlan,
  parsePushedRefs,
  planPrePush,
  uninstallHook,
} from '../hook/index.js';
import { type CheckOptions, check } from './check.js';
import { type ConfigOptions, configAndFile, resolveOptions, type UseCaseOptions } from './context.js';

const exec = promisify(execFile);

/** The opsbook the hook runs: a node binary and the CLI's main script. */
export interface HookCli {
  node: string;
  main: string;
}

export interface HookOptions extends UseCaseOptions {
  /** Default: this package's CLI under the running node. */
  cli?: HookCli;
}

const cliOf = (options: HookOptions): HookCli =>
  options.cli ?? { node: process.execPath, main: fileURLToPath(new URL('../main.js', import.meta.url)) };

export interface HookInstallResult {
  path: string;
  before: HookState;
  changed: boolean;
  /** The environments that deploy on push: none means the hook checks nothing. */
  pushing: string[];
}

export async function hookInstall(
  options: HookOptions & ConfigOptions & { force?: boolean },
): Promise<HookInstallResult> {
  const base = resolveOptions(options);
  const { config } = await configAndFile(options, base);
  const pushing = Object.keys(config.environments).filter((e) => deploysOnPush(config, e));
  const r = await installHook(base.cwd, cliOf(options), options.force ?? false);
  return { ...r, pushing };
}

/** Removes opsbook's own hook; another one is refused. */
export function hookUninstall(options: UseCaseOptions): Promise<{ path: string; removed: boolean }> {
  return uninstallHook(options.cwd);
}

export async function hookStatus(options: HookOptions): Promise<{ path: string; state: HookState }> {
  const location = await locateHook(options.cwd);
  return { path: location.path, state: await hookState(location, hookScript(location, cliOf(options))) };
}

export type PrePushCheck = PushPlan['checks'][number];

export interface HookPrePushOptions extends ConfigOptions {
  /** What git writes on the hook's stdin: one `<local ref> <local sha> <remote ref> <remote sha>` line per ref. */
  refs: string;
  /** Manual gates confirmed in advance; default: OPSBOOK_CONFIRM=id[,id]. */
  confirmed?: string[];
  /** Called as each environment's gates start; `done` gets their result. */
  onCheck?: (
    check: PrePushCheck,
  ) => { onUpdate?: CheckOptions['onUpdate']; done?: (result: CheckResult) => void } | undefined;
}

export type HookPrePushResult =
  /** A branch that deploys on push is not the checked-out commit: its gates cannot run here. */
  | { status: 'not-checked-out'; ok: false; plan: PushPlan }
  /** The push deploys nothing. */
  | { status: 'nothing'; ok: true; plan: PushPlan }
  | { status: 'checked'; ok: boolean; plan: PushPlan; results: CheckResult[] };

/** Checks each environment the push deploys; `ok` false means the push should stop. */
export async function hookPrePush(options: HookPrePushOptions): Promise<HookPrePushResult> {
  const base = resolveOptions(options);
  const { config, file } = await configAndFile(options, base);
  const head = (await exec('git', ['rev-parse', 'HEAD'], { cwd: base.cwd })).stdout.trim();
  const plan = planPrePush(config, parsePushedRefs(options.refs), head);
  if (plan.notCheckedOut.length) return { status: 'not-checked-out', ok: false, plan };
  if (!plan.checks.length) return { status: 'nothing', ok: true, plan };
  const confirmed =
    options.confirmed ??
    (base.env.OPSBOOK_CONFIRM ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const results: CheckResult[] = [];
  for (const c of plan.checks) {
    const watch = options.onCheck?.(c);
    const result = await check({
      ...base,
      config,
      configFile: file,
      environment: c.environment,
      confirmed,
      ...(watch?.onUpdate ? { onUpdate: watch.onUpdate } : {}),
    });
    watch?.done?.(result);
    results.push(result);
  }
  return { status: 'checked', ok: results.every((r) => r.passed), plan, results };
}
