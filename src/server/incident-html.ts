/** The status page's incident sections: what is happening now, with its updates, and the last 90 days. */
import { esc } from './html.js';
import type { PublicIncident } from './incidents.js';

const STATUS_LABEL: Record<string, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  update: 'Update',
};
const label = (s: string) => STATUS_LABEL[s] ?? s;
const time = (iso: string) =>
  `<time datetime="${esc(iso)}">${esc(iso.slice(0, 16).replace('T', ' '))} UTC</time>`;

function renderIncident(i: PublicIncident): string {
  return `<article class="incident" data-incident="${esc(i.number)}" data-status="${esc(i.status)}">
<h3>${esc(i.title)}</h3>
<p class="affects">Affects ${esc(i.components.join(', '))} · ${esc(label(i.status))}</p>
<ol class="updates">
${i.updates.map((u) => `<li data-status="${esc(u.status)}"><strong>${esc(label(u.status))}</strong> – ${esc(u.message)} <span class="when">${time(u.at)}</span></li>`).join('\n')}
</ol>
</article>`;
}

export function renderCurrentIncidents(open: PublicIncident[]): string {
  return `<section aria-labelledby="incidents-title">
<h2 id="incidents-title">Current incidents</h2>
<div class="card" data-section="incidents">${open.length ? open.map(renderIncident).join('\n') : '<p>No incidents</p>'}</div>
</section>`;
}

export function renderIncidentHistory(history: PublicIncident[], days: number): string {
  return `<section aria-labelledby="history-title">
<h2 id="history-title">Past incidents</h2>
<div class="card" data-section="history">${history.length ? history.map(renderIncident).join('\n') : `<p>No incidents in the last ${days} days</p>`}
<p class="feed"><a href="/status/feed.atom">Atom feed</a></p></div>
</section>`;
}

export const INCIDENT_CSS = `
.incident{padding:.75rem 0;border-top:1px solid var(--line)}.incident:first-child{border-top:0;padding-top:0}
.affects{margin:.25rem 0;color:var(--muted);font-size:.9rem}
.updates{list-style:none;margin:0;padding:0}.updates li{margin:.25rem 0}
.when{color:var(--muted);font-size:.85rem}.feed{margin-top:.75rem;font-size:.85rem}
`;
