/** `opsbook incident open|ack|update|resolve|note|list|show|postmortem`: flags → one incident use-case → print. */
import { createInterface } from 'node:readline/promises';
import * as incidents from '../app/incident.js';
import { UserError } from '../errors.js';
import { PUBLIC_STATES, type PublicState } from '../incidents/index.js';
import { flagList, flagString } from './args.js';
import { configFor } from './config.js';
import { printList, printReport } from './incident-render.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const USAGE =
  'opsbook incident open SEVERITY TITLE | ack ID | update ID --status S --message TEXT | resolve ID [--summary TEXT] | note ID TEXT | list [--all] | show ID | postmortem ID';

const need = (value: string | undefined, what: string, hint: string): string => {
  if (!value?.trim()) throw new UserError(`missing ${what}`, hint);
  return value.trim();
};

async function askSummary(input: CommandInput): Promise<string | undefined> {
  if (!input.interactive) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('Summary (what happened, what fixed it): ', { signal: input.signal })).trim();
  } finally {
    rl.close();
  }
}

const changedOutcome = (r: { changed: boolean }, data: unknown, print: CommandOutcome['print']) => ({
  ok: r.changed,
  exitCode: r.changed ? 0 : 1,
  data,
  print,
});

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const [action, ...rest] = input.positionals;
  const base = {
    cwd: input.cwd,
    env: input.env,
    signal: input.signal,
    redactor: input.out.redactor,
    config: loaded.config,
    actor: flagString(input, 'by'),
  };
  const environment = flagString(input, 'env') ?? 'production';
  const id = () => need(rest[0], 'incident id', `give its number: '${USAGE}' (see 'opsbook incident list')`);
  switch (action) {
    case 'open': {
      const severity = need(rest[0], 'severity', 'e.g. opsbook incident open P1 "API is down"');
      const title = need(rest.slice(1).join(' '), 'title', 'e.g. opsbook incident open P1 "API is down"');
      const commander = flagString(input, 'commander');
      const incident = await incidents.incidentOpen({
        ...base,
        environment,
        title,
        severity,
        services: flagList(input, 'service'),
        ...(commander ? { commander } : {}),
      });
      const opened = `opened incident #${incident.number} [${severity}] ${title}; 'opsbook serve' escalates it`;
      return { ok: true, data: incident, print: (out) => out.success(opened) };
    }
    case 'ack': {
      const r = await incidents.incidentAck({ ...base, id: id() });
      const i = r.incident;
      return changedOutcome(r, r, (out) =>
        r.changed
          ? out.success(`acknowledged #${i.number}; escalation stopped`)
          : out.error(
              `#${i.number} is ${i.state}${i.acknowledgedBy ? ` (acknowledged by ${i.acknowledgedBy})` : ''}: nothing to acknowledge`,
            ),
      );
    }
    case 'update': {
      const status = need(flagString(input, 'status'), '--status', `one of: ${PUBLIC_STATES.join(', ')}`);
      const message = need(
        flagString(input, 'message') ?? rest.slice(1).join(' '),
        '--message',
        'the public text, e.g. --message "We found the cause"',
      );
      const incident = await incidents.incidentUpdate({
        ...base,
        id: id(),
        status: status as PublicState,
        message,
      });
      const posted = `posted '${status}' on #${incident.number}: it is on the status page`;
      return { ok: true, data: incident, print: (out) => out.success(posted) };
    }
    case 'resolve': {
      const ref = id();
      const summary = flagString(input, 'summary') ?? (await askSummary(input));
      if (!summary)
        throw new UserError('resolve needs a summary', 'give --summary "what happened and what fixed it"');
      const r = await incidents.incidentResolve({ ...base, id: ref, summary });
      const n = r.incident.number;
      return changedOutcome(r, r, (out) =>
        r.changed ? out.success(`resolved #${n}`) : out.error(`#${n} was already resolved`),
      );
    }
    case 'note': {
      const ref = id();
      const message = need(
        rest.slice(1).join(' '),
        'note text',
        'e.g. opsbook incident note 3 "rolled back api"',
      );
      const incident = await incidents.incidentNote({ ...base, id: ref, message });
      const data = { incident: incident.number, note: message };
      return { ok: true, data, print: (out) => out.success(`noted on #${incident.number}`) };
    }
    case 'list': {
      const all = input.values.all === true;
      const list = await incidents.incidentList({ ...base, environment, all });
      return { ok: true, data: list, print: (out) => printList(list, all, out) };
    }
    case 'show': {
      const report = await incidents.incidentReport({ ...base, id: id() });
      return { ok: true, data: report, print: (out) => printReport(report, out) };
    }
    case 'postmortem': {
      const ref = id();
      const format = flagString(input, 'format') ?? 'markdown';
      if (format !== 'markdown' && format !== 'md' && format !== 'json')
        throw new UserError(`unknown format '${format}'`, 'use --format markdown or --format json');
      const output = flagString(input, 'output');
      const r = await incidents.incidentPostmortem({
        ...base,
        id: ref,
        format: format === 'json' ? 'json' : 'markdown',
        ...(output ? { output } : {}),
      });
      return {
        ok: true,
        data: format === 'json' ? r.report : { markdown: r.text, ...(r.file ? { file: r.file } : {}) },
        print: (out) =>
          r.file
            ? out.success(`wrote the postmortem draft of #${r.report.incident.number} to ${r.file}`)
            : out.line(r.text.trimEnd()),
      };
    }
    default:
      throw new UserError(
        action ? `unknown incident action '${action}'` : 'incident needs an action',
        `use: ${USAGE}`,
      );
  }
};
