/** `opsbook silence add|list|expire`: flags → one silence use-case → print. */
import { formatMatcher, type Matcher } from '../alerts/index.js';
import { silenceAdd, silenceExpire, silenceList } from '../app/silence.js';
import { UserError } from '../errors.js';
import type { Output } from '../output/index.js';
import type { SilenceRecord } from '../store/index.js';
import type { SILENCE_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

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

export const run: CommandHandler<typeof SILENCE_ARGS> = async (input) => {
  const [action, ...rest] = input.positionals;
  const base = { cwd: input.cwd, env: input.env, configFile: input.values.config };
  const environment = input.values.env;
  switch (action) {
    case 'add': {
      const silence = await silenceAdd({
        ...base,
        matchers: rest,
        duration: input.values.duration ?? (input.values.until ? undefined : '2h'),
        until: input.values.until,
        comment: input.values.comment ?? '',
        author: input.values.author,
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
      const silences = await silenceList({ ...base, environment, all: input.values.all });
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
