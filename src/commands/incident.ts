/** `opsbook incident open|ack|update|resolve|note|list|show|postmortem`: flags → one incident use-case → print. */
import * as incidents from '../app/incident.js';
import { UserError } from '../errors.js';
import { PUBLIC_STATES, type PublicState } from '../incidents/index.js';
import { configFor } from './config.js';
import * as render from './incident-render.js';
import { askTextFor } from './prompt.js';
import type { INCIDENT_ARGS } from './specs-operate.js';
import type { CommandHandler } from './types.js';

const USAGE =
  'opsbook incident open SEVERITY TITLE | ack ID | update ID --status S --message TEXT | resolve ID [--summary TEXT] | note ID TEXT | list [--all] | show ID | postmortem ID';

const need = (value: string | undefined, what: string, hint: string): string => {
  if (!value?.trim()) throw new UserError(`missing ${what}`, hint);
  return value.trim();
};

export const run: CommandHandler<typeof INCIDENT_ARGS> = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const [action, ...rest] = input.positionals;
  const { cwd, env, signal } = input;
  // `--by ""` (an unset variable in a script) recorded a blank actor on the timeline: nobody to ask later.
  const actor =
    input.values.by === undefined ? undefined : need(input.values.by, '--by', 'give who acts, e.g. --by ana');
  const base = { cwd, env, signal, redactor: input.out.redactor, config: loaded.config, actor };
  const environment = input.values.env ?? 'production';
  const id = () => need(rest[0], 'incident id', `give its number: '${USAGE}' (see 'opsbook incident list')`);
  const words = (what: string, hint: string, given?: string) =>
    need(given ?? rest.slice(1).join(' '), what, hint);
  switch (action) {
    case 'open': {
      const hint = 'e.g. opsbook incident open P1 "API is down"';
      const [severity, title] = [need(rest[0], 'severity', hint), words('title', hint)];
      const [commander, services] = [input.values.commander, input.values.service];
      const options = { ...base, environment, title, severity, services, commander };
      return render.openedOutcome(await incidents.incidentOpen(options), severity, title);
    }
    case 'ack':
      return render.ackOutcome(await incidents.incidentAck({ ...base, id: id() }));
    case 'update': {
      const status = need(input.values.status, '--status', `one of: ${PUBLIC_STATES.join(', ')}`);
      const hint = 'the public text, e.g. --message "We found the cause"';
      const message = words('--message', hint, input.values.message);
      const options = { ...base, id: id(), message, status: status as PublicState };
      return render.updatedOutcome(await incidents.incidentUpdate(options), status);
    }
    case 'resolve': {
      const ref = id();
      const summary =
        input.values.summary ?? (await askTextFor(input)?.('Summary (what happened, what fixed it): '));
      // A blank one ("   ", an unset variable) said nothing on the status page and in the postmortem's summary.
      if (!summary?.trim())
        throw new UserError('resolve needs a summary', 'give --summary "what happened and what fixed it"');
      return render.resolvedOutcome(
        await incidents.incidentResolve({ ...base, id: ref, summary: summary.trim() }),
      );
    }
    case 'note': {
      const ref = id();
      const message = words('note text', 'e.g. opsbook incident note 3 "rolled back api"');
      return render.notedOutcome(await incidents.incidentNote({ ...base, id: ref, message }), message);
    }
    case 'list': {
      const all = input.values.all;
      const list = await incidents.incidentList({ ...base, environment, all });
      return { ok: true, data: list, print: (o) => render.printList(list, all, o) };
    }
    case 'show': {
      const report = await incidents.incidentReport({ ...base, id: id() });
      return { ok: true, data: report, print: (o) => render.printReport(report, o) };
    }
    case 'postmortem': {
      const [ref, format] = [id(), input.values.format ?? 'markdown'];
      if (format !== 'markdown' && format !== 'md' && format !== 'json')
        throw new UserError(`unknown format '${format}'`, 'use --format markdown or --format json');
      const [kind, output] = [format === 'json' ? 'json' : 'markdown', input.values.output] as const;
      const r = await incidents.incidentPostmortem({ ...base, id: ref, format: kind, output });
      return render.postmortemOutcome(r, kind);
    }
  }
  const problem = action ? `unknown incident action '${action}'` : 'incident needs an action';
  throw new UserError(problem, `use: ${USAGE}`);
};
