/**
 * The public status page as one server-rendered HTML document: no script, a meta refresh, inline CSS.
 * Every dynamic string goes through `esc`; only names, states, figures and public incident updates are
 * shown, never targets, internal notes or anything from the environment.
 */

import { formatMs } from '../timing/index.js';
import { type ComponentState, STATE_LABEL } from './component-state.js';
import { esc, formatPercent } from './html.js';
import { INCIDENT_CSS, renderCurrentIncidents, renderIncidentHistory } from './incident-html.js';
import { HISTORY_DAYS } from './incidents.js';
import { STATUS_CSS } from './status-css.js';
import type { ComponentStatus, DayBar, StackStatus } from './status-model.js';

/** Seconds between reloads: the page stays current without JavaScript. */
export const REFRESH_SECONDS = 60;

export function renderStatusPage(status: StackStatus): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${REFRESH_SECONDS}">
<title>${esc(status.title)}</title>
<link rel="icon" href="data:,">
<style>${STATUS_CSS}${INCIDENT_CSS}</style>
<link rel="alternate" type="application/atom+xml" href="/status/feed.atom" title="Incident history">
</head>
<body>
<header><h1>${esc(status.title)}</h1></header>
<main>
<section class="overall ${stateClass(status.overall.state)}" role="status" data-state="${esc(status.overall.state)}">
<p>${esc(status.overall.description)}</p>
</section>
${renderCurrentIncidents(status.incidents)}
<section aria-labelledby="components-title">
<h2 id="components-title">Components</h2>
<div class="card">
${status.components.length ? `<ul class="components">\n${status.components.map(renderComponent).join('\n')}\n</ul>` : '<p>No components are published.</p>'}
</div>
</section>
${renderIncidentHistory(status.history ?? [], HISTORY_DAYS)}
</main>
<footer>Updated <time datetime="${esc(status.updatedAt)}">${esc(status.updatedAt.slice(0, 16).replace('T', ' '))} UTC</time>. Uptime bars are UTC days.</footer>
</body>
</html>
`;
}

function renderComponent(c: ComponentStatus): string {
  const days = c.days ?? [];
  return `<li class="component ${stateClass(c.state)}" data-service="${esc(c.service)}" data-state="${esc(c.state)}">
<div class="head"><h3>${esc(c.name)}</h3><span class="state">${esc(STATE_LABEL[c.state])}</span></div>
<ol class="bars" aria-label="${esc(`${c.name}: daily uptime over the last ${days.length} days`)}">
${days.map(renderBar).join('\n')}
</ol>
<div class="legend"><span><span class="long">${days.length} days ago</span><span class="short">30 days ago</span></span>\
<span>${esc(formatPercent(c.uptime90d ?? null))} uptime · p95 ${esc(c.p95Ms === null || c.p95Ms === undefined ? '–' : formatMs(c.p95Ms))}</span><span>Today</span></div>
</li>`;
}

function renderBar(day: DayBar): string {
  const text =
    day.uptime === null ? `${day.date}: no data` : `${day.date}: ${formatPercent(day.uptime)} uptime`;
  return `<li class="${uptimeClass(day.uptime)}" title="${esc(text)}" aria-label="${esc(text)}"></li>`;
}

const stateClass = (state: ComponentState) => `s-${state}`;

function uptimeClass(uptime: number | null): string {
  if (uptime === null) return 'u-none';
  if (uptime >= 0.999) return 'u-100';
  if (uptime >= 0.99) return 'u-99';
  if (uptime >= 0.95) return 'u-95';
  return 'u-low';
}
