/** The silence use-cases: mute alerts by label matchers for a while, list the silences, end one early. */
import { currentActor } from '../actor/index.js';
import { addSilence, expireSilence, listSilences } from '../alerts/index.js';
import type { SilenceRecord, Store } from '../store/index.js';
import { resolveOptions, type UseCaseOptions, withStore } from './context.js';

export interface SilenceOptions extends UseCaseOptions {
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
  return withStore(options.store, base, (store) =>
    addSilence({
      store,
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
