/**
 * The public Statuspage v2 API of a provider's status page (Render, Vercel, Supabase, Stripe and many others
 * use Atlassian Statuspage): GET <page>/api/v2/summary.json gives the page indicator (none, minor, major,
 * critical, maintenance), every component's status (operational, degraded_performance, partial_outage,
 * major_outage, under_maintenance) and the unresolved incidents. Used by the upstream monitors and by doctor.
 */

import { terminalSafe } from '../output/index.js';

export type ComponentStatus =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance';

export interface UpstreamComponent {
  name: string;
  status: ComponentStatus | (string & {});
}

export interface UpstreamIncident {
  name: string;
  /** investigating, identified, monitoring, ... */
  status: string;
  /** none, minor, major, critical. */
  impact: string;
  shortlink?: string;
}

export interface UpstreamSummary {
  page: string;
  url: string;
  indicator: string;
  description: string;
  components: UpstreamComponent[];
  incidents: UpstreamIncident[];
}

export type UpstreamRead = { ok: true; summary: UpstreamSummary } | { ok: false; error: string };

const MAX_BODY = 4_000_000;

/** `https://status.render.com` or its `/api/v2/summary.json`: the summary's URL either way. */
export function summaryUrl(page: string): string {
  const base = page.replace(/\/+$/, '').replace(/\/api\/v2(\/[a-z_]+\.json)?$/, '');
  return `${base}/api/v2/summary.json`;
}

export async function readStatuspage(
  page: string,
  options: { fetch?: typeof fetch; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<UpstreamRead> {
  const url = summaryUrl(page);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let text: string;
  try {
    const res = await (options.fetch ?? fetch)(url, { signal, headers: { accept: 'application/json' } });
    text = await res.text();
    if (!res.ok) return { ok: false, error: `${url} answered HTTP ${res.status}` };
    if (text.length > MAX_BODY) return { ok: false, error: `${url} sent more than 4 MB` };
  } catch (error) {
    const why = timeout.aborted ? 'timed out' : error instanceof Error ? error.message : String(error);
    return { ok: false, error: `${url} could not be read: ${why}` };
  }
  return parseSummary(url, text);
}

type Raw = Record<string, unknown>;
const rec = (v: unknown): Raw => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {});
// The page's text reaches terminals, incident timelines and the status page: its control characters are shown.
const str = (v: unknown) => (typeof v === 'string' ? terminalSafe(v) : '');

export function parseSummary(url: string, text: string): UpstreamRead {
  let raw: Raw;
  try {
    raw = rec(JSON.parse(text));
  } catch {
    return { ok: false, error: `${url} did not answer JSON: not a Statuspage v2 API` };
  }
  const status = rec(raw.status);
  if (!str(status.indicator) || !Array.isArray(raw.components))
    return { ok: false, error: `${url} has no status.indicator or components: not a Statuspage v2 summary` };
  return {
    ok: true,
    summary: {
      page: str(rec(raw.page).name) || url,
      url: str(rec(raw.page).url) || url.replace(/\/api\/v2\/summary\.json$/, ''),
      indicator: str(status.indicator),
      description: str(status.description),
      // Group rows only sum up their children, which are listed too.
      components: raw.components
        .map(rec)
        .filter((c) => c.group !== true)
        .map((c) => ({ name: str(c.name), status: str(c.status) })),
      incidents: (Array.isArray(raw.incidents) ? raw.incidents : []).map(rec).map((i) => ({
        name: str(i.name),
        status: str(i.status),
        impact: str(i.impact),
        ...(str(i.shortlink) ? { shortlink: str(i.shortlink) } : {}),
      })),
    },
  };
}

const WORDS: Record<string, string> = {
  operational: 'operational',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
  under_maintenance: 'under maintenance',
};
const RANK: Record<string, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};
/**
 * A status the page's vendor may add later, or a page that is only almost a Statuspage: not known to be operational,
 * so it counts as degraded (a person looks) rather than as up.
 */
const rankOf = (status: string) => RANK[status] ?? (RANK.degraded_performance as number);
const INDICATOR: Record<string, string> = {
  none: 'operational',
  maintenance: 'under_maintenance',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

export interface UpstreamState {
  /** The worst component status that counts (Statuspage's words). */
  status: string;
  outcome: 'up' | 'degraded' | 'down';
  /** e.g. `Render: partial outage (Web Services); incident: Elevated latency (identified)`. */
  message: string;
}

/**
 * The state that matters to us: the worst of the named components (all of them when none are named; the page
 * indicator when the page lists none), with the unresolved incidents. A partial or major outage is `down`.
 */
export function upstreamState(
  name: string,
  summary: UpstreamSummary,
  only: readonly string[] = [],
): UpstreamState {
  const wanted = only.map((c) => c.toLowerCase());
  const components = wanted.length
    ? summary.components.filter((c) => wanted.includes(c.name.toLowerCase()))
    : summary.components;
  const missing = wanted.filter((w) => !summary.components.some((c) => c.name.toLowerCase() === w));
  let status = components.length ? 'operational' : (INDICATOR[summary.indicator] ?? summary.indicator);
  for (const c of components) if (rankOf(c.status) > rankOf(status)) status = c.status;
  const affected = components
    .filter((c) => c.status === status && status !== 'operational')
    .map((c) => c.name);
  const incidents = summary.incidents.map((i) => `${i.name} (${i.status})`);
  const parts = [
    `${name}: ${WORDS[status] ?? `status '${status}' opsbook does not know`}${affected.length ? ` (${affected.join(', ')})` : ''}`,
    ...(status !== 'operational' && incidents.length ? [`incident: ${incidents.join('; ')}`] : []),
    ...(missing.length ? [`no component named ${missing.join(', ')} on ${summary.page}`] : []),
  ];
  const rank = rankOf(status);
  return { status, outcome: rank >= 3 ? 'down' : rank >= 1 ? 'degraded' : 'up', message: parts.join('; ') };
}
