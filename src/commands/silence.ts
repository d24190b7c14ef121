import { currentActor } from '../actor/index.js';
import { addSilence, expireSilence, formatMatcher, listSilences, type Matcher } from '../alerts/index.js';
import { UserError } from '../errors.js';
import type { Output } from '../output/index.js';
import { openStore, type SilenceRecord, type Store } from '../store/index.js';
import { flagBool, flagString } from './args.js';
import type { CommandHandler } from './types.js';

export interface SilenceOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

async function withStore<T>(options: SilenceOptions, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ cwd: options.cwd, env: options.env });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
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
  return withStore(options, (store) =>
    addSilence({
      store,
      matchers: options.matchers,
      ...(options.duration ? { duration: options.duration } : {}),
      ...(options.until ? { endsAt: options.until } : {}),
      comment: options.comment,
      createdBy: options.author ?? currentActor(options.cwd, options.env),
      ...(options.environment ? { environment: options.environment } : {}),
    }),
  );
}

export function silenceList(
  options: SilenceOptions & { environment?: string; all?: boolean },
): Promise<SilenceRecord[]> {
  return withStore(options, (store) =>
    listSilences({
      store,
      ...(options.environment ? { environment: options.environment } : {}),
      includeExpired: options.all ?? false,
    }),
  );
}

export function silenceExpire(options: SilenceOptions & { id: string }): Promise<SilenceRecord> {
  return withStore(options, (store) => expireSilence({ store, id: options.id }));
}

const describe = (s: SilenceRecord) => s.matchers.map((m) => formatMatcher(m as Matcher)).join(' ');

function printList(silences: SilenceRecord[], out: Output): void {
  if (!silences.length) {
    out.note('no active silences');
    return;
  }
  const now = Date.now();
  out.table(silences, [
    { header: 'ID', value: (s) => s.id },
    { header: 'MATCHERS', value: describe },
    { header: 'ENV', value: (s) => s.environment ?? 'all' },
    { header: 'ENDS', value: (s) => `${s.endsAt}${Date.parse(s.endsAt) <= now ? ' (ended)' : ''}` },
    { header: 'BY', value: (s) => s.createdBy },
    { header: 'COMMENT', value: (s) => s.comment },
  ]);
}

export const run: CommandHandler = async (input) => {
  const [action, ...rest] = input.positionals;
  const base = { cwd: input.cwd, env: input.env };
  const environment = flagString(input, 'env');
  switch (action) {
    case 'add': {
      const silence = await silenceAdd({
        ...base,
        matchers: rest,
        duration: flagString(input, 'duration') ?? (flagString(input, 'until') ? undefined : '2h'),
        until: flagString(input, 'until'),
        comment: flagString(input, 'comment') ?? '',
        author: flagString(input, 'author'),
        environment,
      });
      return {
        ok: true,
        data: silence,
        print: (out) =>
          out.success(`silenced ${describe(silence)} until ${silence.endsAt} (id ${silence.id})`),
      };
    }
    case 'list': {
      const silences = await silenceList({ ...base, environment, all: flagBool(input, 'all') });
      return { ok: true, data: silences, print: (out) => printList(silences, out) };
    }
    case 'expire': {
      if (!rest[0])
        throw new UserError(
          'which silence?',
          "give its id: 'opsbook silence expire ID' (see 'opsbook silence list')",
        );
      const silence = await silenceExpire({ ...base, id: rest[0] });
      return {
        ok: true,
        data: silence,
        print: (out) => out.success(`silence ${silence.id} ended at ${silence.endsAt}`),
      };
    }
    default:
      throw new UserError(
        action ? `unknown silence action '${action}'` : 'silence needs an action',
        'use: opsbook silence add MATCHER... --comment TEXT [--duration 2h] | list [--all] | expire ID',
      );
  }
};
