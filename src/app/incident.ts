/** The incident use-cases: open, acknowledge, post a public update, resolve, note, list, report, postmortem draft. */
import { currentActor } from '../actor/index.js';
import { resolveEnvironment } from '../config/index.js';
import {
  acknowledgeIncident,
  addNote,
  buildReport,
  findIncident,
  type IncidentContext,
  type IncidentReport,
  openIncident,
  type PublicState,
  postUpdate,
  renderPostmortem,
  resolveIncident,
} from '../incidents/index.js';
import type { IncidentRecord, Store } from '../store/index.js';
import { type ConfigOptions, configOf, resolveOptions, withStore } from './context.js';
import { writeOutputFile } from './output-file.js';

export interface IncidentOptions extends ConfigOptions {
  store?: Store;
  /** Who acts (default: OPSBOOK_ACTOR, else git user, else the OS user). */
  actor?: string;
  /** Epoch ms. */
  now?: () => number;
}

/** An incident by number or id. */
type Ref = { id: string };
/** An action that may find nothing to do: `changed` false when the incident was already in that state. */
export type IncidentChange = { incident: IncidentRecord; changed: boolean };

async function withIncidents<T>(
  options: IncidentOptions,
  work: (ctx: IncidentContext, actor: string) => Promise<T>,
): Promise<T> {
  const base = resolveOptions(options);
  const config = await configOf(options, base);
  const actor = options.actor ?? currentActor(base.cwd, base.env);
  return withStore(options.store, base, (store) =>
    work({ store, config, ...(options.now ? { now: options.now } : {}) }, actor),
  );
}

export function incidentOpen(
  options: IncidentOptions & {
    environment?: string;
    title: string;
    severity: string;
    services?: string[];
    commander?: string;
  },
): Promise<IncidentRecord> {
  return withIncidents(options, async (ctx, actor) => {
    // An incident of an environment the config lacks is one no `serve` escalates, yet it said one would.
    resolveEnvironment(ctx.config, options.environment ?? 'production');
    const { incident } = await openIncident(ctx, {
      environment: options.environment ?? 'production',
      title: options.title,
      severity: options.severity,
      services: options.services ?? [],
      ...(options.commander ? { commander: options.commander } : {}),
      actor,
    });
    return incident;
  });
}

/** Stops the escalation; `changed` is false when there was nothing to acknowledge. */
export function incidentAck(options: IncidentOptions & Ref): Promise<IncidentChange> {
  return withIncidents(options, (ctx, actor) => acknowledgeIncident(ctx, options.id, { actor, via: 'cli' }));
}

/** A public update: it is on the status page. */
export function incidentUpdate(
  options: IncidentOptions & Ref & { status: PublicState; message: string },
): Promise<IncidentRecord> {
  return withIncidents(options, (ctx, actor) =>
    postUpdate(ctx, options.id, { status: options.status, message: options.message, actor }),
  );
}

/** `changed` is false when it was already resolved; `postmortemDue` when its severity requires one. */
export function incidentResolve(
  options: IncidentOptions & Ref & { summary: string },
): Promise<IncidentChange & { postmortemDue?: string }> {
  return withIncidents(options, (ctx, actor) =>
    resolveIncident(ctx, options.id, { summary: options.summary, actor }),
  );
}

export function incidentNote(options: IncidentOptions & Ref & { message: string }): Promise<IncidentRecord> {
  return withIncidents(options, (ctx, actor) =>
    addNote(ctx, options.id, { message: options.message, actor }),
  );
}

/** The environment's open incidents, or all of them. */
export function incidentList(
  options: IncidentOptions & { environment?: string; all?: boolean },
): Promise<IncidentRecord[]> {
  return withIncidents(options, (ctx) => {
    // A typo in --env listed no incidents, as if all was well.
    resolveEnvironment(ctx.config, options.environment ?? 'production');
    return ctx.store.incidents.listIncidents({
      environment: options.environment ?? 'production',
      ...(options.all ? {} : { open: true }),
    });
  });
}

/** The incident with its timeline, durations and related changes. */
export function incidentReport(options: IncidentOptions & Ref): Promise<IncidentReport> {
  return withIncidents(options, async (ctx) => buildReport(ctx, await findIncident(ctx, options.id)));
}

export interface PostmortemResult {
  report: IncidentReport;
  /** The draft: markdown with the config's sections, or the report as JSON. */
  text: string;
  /** Where it was written, when `output` was given. */
  file?: string;
}

export function incidentPostmortem(
  options: IncidentOptions & Ref & { format?: 'markdown' | 'json'; output?: string },
): Promise<PostmortemResult> {
  return withIncidents(options, async (ctx) => {
    const report = await buildReport(ctx, await findIncident(ctx, options.id));
    const text =
      options.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : renderPostmortem(report, ctx.config.incidents?.postmortem?.sections);
    // A folder that does not exist is the user's to fix, not a crash; what is written is masked like the terminal.
    const base = resolveOptions(options);
    if (options.output) await writeOutputFile(base.cwd, options.output, base.redactor.redact(text));
    return { report, text, ...(options.output ? { file: options.output } : {}) };
  });
}
