/** The silence use-cases: mute alerts by label matchers for a while, list the silences, end one early. */
import { currentActor } from '../actor/index.js';
import { addSilence, compileRules, expireSilence, type Labels, listSilences } from '../alerts/index.js';
import { findConfigFile } from '../config/index.js';
import type { SilenceRecord, Store } from '../store/index.js';
import { type ConfigOptions, configOf, type Resolved, resolveOptions, withStore } from './context.js';

export interface SilenceOptions extends ConfigOptions {
  store?: Store;
}

/** Mutes alerts whose labels match every matcher until the silence ends. */
export function silenceAdd(
  options: SilenceOptions & {
    matchers: string[];
    duration?: string;
    until?: string;
    comment: string;
    author?: string;
    environment?: string;
  },
): Promise<SilenceRecord> {
  const base = resolveOptions(options);
  return withStore(options.store, base, async (store) =>
    addSilence({
      store,
      ...(await alertsOf(options, base)),
      matchers: options.matchers,
      ...(options.duration ? { duration: options.duration } : {}),
      ...(options.until ? { endsAt: options.until } : {}),
      comment: options.comment,
      createdBy: options.author ?? currentActor(base.cwd, base.env),
      ...(options.environment ? { environment: options.environment } : {}),
    }),
  );
}

export function silenceList(
  options: SilenceOptions & { environment?: string; all?: boolean },
): Promise<SilenceRecord[]> {
  return withStore(options.store, resolveOptions(options), (store) =>
    listSilences({
      store,
      ...(options.environment ? { environment: options.environment } : {}),
      includeExpired: options.all ?? false,
    }),
  );
}

export function silenceExpire(options: SilenceOptions & { id: string }): Promise<SilenceRecord> {
  return withStore(options.store, resolveOptions(options), (store) =>
    expireSilence({ store, id: options.id }),
  );
}

/**
 * The labels of every alert the config raises, in the silence's environment or in every one; none without a config
 * (silences then come from the API of a server whose config is elsewhere, and are not checked).
 */
async function alertsOf(
  options: SilenceOptions & { environment?: string },
  base: Resolved,
): Promise<{ alerts?: Labels[] }> {
  if (!options.config && !options.configFile && !findConfigFile(base.cwd)) return {};
  const config = await configOf(options, base);
  const environments = options.environment ? [options.environment] : Object.keys(config.environments);
  return {
    alerts: environments.flatMap((env) => compileRules(config, env).rules.map((rule) => rule.labels)),
  };
}
