/** `opsbook incident open|ack|update|resolve|note|list|show|postmortem`: incidents from the terminal. */
import { writeFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { currentActor } from '../actor/index.js';
import { UserError } from '../errors.js';
import {
  acknowledgeIncident,
  addNote,
  buildReport,
  findIncident,
  type IncidentContext,
  openIncident,
  PUBLIC_STATES,
  type PublicState,
  postUpdate,
  renderPostmortem,
  resolveIncident,
} from '../incidents/index.js';
import type { Output } from '../output/index.js';
import { type IncidentRecord, openStore } from '../store/index.js';
import { flagList, flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const USAGE =
  'opsbook incident open SEVERITY TITLE | ack ID | update ID --status S --message TEXT | resolve ID [--summary TEXT] | note ID TEXT | list [--all] | show ID | postmortem ID';

const need = (value: string | undefined, what: string, hint: string): string => {
  if (!value?.trim()) throw new UserError(`missing ${what}`, hint);
  return value.trim();
};

function printIncident(i: IncidentRecord, out: Output): void {
  out.line(`#${i.number} [${i.severity}] ${i.title}`);
  out.line(
    `  state ${i.state} · opened ${i.openedAt}${i.acknowledgedBy ? ` · acknowledged by ${i.acknowledgedBy}` : ''}${i.resolvedAt ? ` · resolved ${i.resolvedAt}` : ''}`,
  );
  if (i.services.length) out.line(`  services ${i.services.join(', ')}`);
}

async function askSummary(input: CommandInput): Promise<string | undefined> {
  if (!input.interactive) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('Summary (what happened, what fixed it): ', { signal: input.signal })).trim();
  } finally {
    rl.close();
  }
}

async function act(
  input: CommandInput,
  ctx: IncidentContext,
  action: string | undefined,
  rest: string[],
): Promise<CommandOutcome> {
  const actor = flagString(input, 'by') ?? currentActor(input.cwd, input.env);
  const environment = flagString(input, 'env') ?? 'production';
  const id = () => need(rest[0], 'incident id', `give its number: '${USAGE}' (see 'opsbook incident list')`);
  switch (action) {
    case 'open': {
      const severity = need(rest[0], 'severity', 'e.g. opsbook incident open P1 "API is down"');
      const title = need(rest.slice(1).join(' '), 'title', 'e.g. opsbook incident open P1 "API is down"');
      const { incident } = await openIncident(ctx, {
        environment,
        title,
        severity,
        services: flagList(input, 'service'),
        ...(flagString(input, 'commander') ? { commander: flagString(input, 'commander')! } : {}),
        actor,
      });
      return {
        ok: true,
        data: incident,
        print: (out) =>
          out.success(
            `opened incident #${incident.number} [${severity}] ${title}; 'opsbook serve' escalates it`,
          ),
      };
    }
    case 'ack': {
      const { incident, changed } = await acknowledgeIncident(ctx, id(), { actor, via: 'cli' });
      return {
        ok: changed,
        exitCode: changed ? 0 : 1,
        data: { incident, changed },
        print: (out) =>
          changed
            ? out.success(`acknowledged #${incident.number}; escalation stopped`)
            : out.error(
                `#${incident.number} is ${incident.state}${incident.acknowledgedBy ? ` (acknowledged by ${incident.acknowledgedBy})` : ''}: nothing to acknowledge`,
              ),
      };
    }
    case 'update': {
      const status = need(
        flagString(input, 'status'),
        '--status',
        `one of: ${PUBLIC_STATES.join(', ')}`,
      ) as PublicState;
      const message = need(
        flagString(input, 'message') ?? rest.slice(1).join(' '),
        '--message',
        'the public text, e.g. --message "We found the cause"',
      );
      const incident = await postUpdate(ctx, id(), { status, message, actor });
      return {
        ok: true,
        data: incident,
        print: (out) => out.success(`posted '${status}' on #${incident.number}: it is on the status page`),
      };
    }
    case 'resolve': {
      const ref = id();
      const summary = flagString(input, 'summary') ?? (await askSummary(input));
      if (!summary)
        throw new UserError('resolve needs a summary', 'give --summary "what happened and what fixed it"');
      const { incident, changed } = await resolveIncident(ctx, ref, { summary, actor });
      return {
        ok: changed,
        exitCode: changed ? 0 : 1,
        data: { incident, changed },
        print: (out) =>
          changed
            ? out.success(`resolved #${incident.number}`)
            : out.error(`#${incident.number} was already resolved`),
      };
    }
    case 'note': {
      const ref = id();
      const message = need(
        rest.slice(1).join(' '),
        'note text',
        'e.g. opsbook incident note 3 "rolled back api"',
      );
      const incident = await addNote(ctx, ref, { message, actor });
      return {
        ok: true,
        data: { incident: incident.number, note: message },
        print: (out) => out.success(`noted on #${incident.number}`),
      };
    }
    case 'list': {
      const all = input.values.all === true;
      const list = await ctx.store.incidents.listIncidents({ environment, ...(all ? {} : { open: true }) });
      return {
        ok: true,
        data: list,
        print: (out) =>
          list.length
            ? out.table(list, [
                { header: 'ID', value: (i) => `#${i.number}` },
                { header: 'SEV', value: (i) => i.severity },
                { header: 'STATE', value: (i) => i.state },
                { header: 'OPENED', value: (i) => i.openedAt },
                { header: 'TITLE', value: (i) => i.title },
              ])
            : out.note(all ? 'no incidents' : 'no open incidents'),
      };
    }
    case 'show':
    case 'postmortem': {
      const report = await buildReport(ctx, await findIncident(ctx, id()));
      if (action === 'show')
        return {
          ok: true,
          data: report,
          print: (out) => {
            printIncident(report.incident, out);
            for (const e of report.timeline)
              out.line(`  ${e.at.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(10)} ${e.message}`);
          },
        };
      const format = flagString(input, 'format') ?? 'markdown';
      if (format !== 'markdown' && format !== 'md' && format !== 'json')
        throw new UserError(`unknown format '${format}'`, 'use --format markdown or --format json');
      const text =
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : renderPostmortem(report, ctx.config.incidents?.postmortem?.sections);
      const file = flagString(input, 'output');
      if (file) await writeFile(resolvePath(input.cwd, file), text);
      return {
        ok: true,
        data: format === 'json' ? report : { markdown: text, ...(file ? { file } : {}) },
        print: (out) =>
          file
            ? out.success(`wrote the postmortem draft of #${report.incident.number} to ${file}`)
            : out.line(text.trimEnd()),
      };
    }
    default:
      throw new UserError(
        action ? `unknown incident action '${action}'` : 'incident needs an action',
        `use: ${USAGE}`,
      );
  }
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const [action, ...rest] = input.positionals;
  const store = await openStore({ cwd: input.cwd, env: input.env, redactor: input.out.redactor });
  try {
    return await act(input, { store, config: loaded.config }, action, rest);
  } finally {
    await store.close();
  }
};
