/** The check use-case: the pre-deploy gates of an environment, in parallel and cached, and the printable checklist. */
import { currentActor } from '../actor/index.js';
import {
  type CheckResult,
  checkConfirmed,
  type RunChecksOptions,
  renderMarkdown,
  runChecks,
} from '../checks/gates/index.js';
import type { Store } from '../store/index.js';
import { type ConfigOptions, configAndFile, resolveOptions, withStore } from './context.js';
import { writeOutputFile } from './output-file.js';

export interface CheckOptions extends ConfigOptions {
  /** Default: production. */
  environment?: string;
  /** Run only these gates. */
  only?: string[];
  /** Manual gates confirmed in advance (where nobody can be asked). */
  confirmed?: string[];
  /** Rerun every gate instead of replaying passed results. */
  noCache?: boolean;
  /** Asks a person to confirm a manual gate; absent: nobody can be asked. */
  ask?: (question: string) => Promise<boolean>;
  onUpdate?: RunChecksOptions['onUpdate'];
  /** Also write the printable checklist with evidence to this file (relative to `cwd`). */
  markdown?: string;
  store?: Store;
  actor?: string;
}

export async function check(options: CheckOptions): Promise<CheckResult> {
  const base = resolveOptions(options);
  const { config, file } = await configAndFile(options, base);
  checkConfirmed(config, options.confirmed ?? []);
  const actor = options.actor ?? currentActor(base.cwd, base.env);
  const result = await withStore(options.store, base, (store) =>
    runChecks({
      ...base,
      config,
      configFile: file,
      environment: options.environment ?? 'production',
      actor,
      store,
      only: options.only ?? [],
      confirm: options.confirmed ?? [],
      noCache: options.noCache ?? false,
      ask: options.ask,
      onUpdate: options.onUpdate,
    }),
  );
  if (options.markdown)
    await writeOutputFile(
      base.cwd,
      options.markdown,
      base.redactor.redact(renderMarkdown(result, config.name, actor)),
    );
  return result;
}
