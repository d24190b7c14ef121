// The Statuspage v2 client against a loopback status page shaped as Atlassian documents it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeStatuspage, startFakeStatuspage } from '../../test/fakes/statuspage/fake-statuspage.js';
import { parseSummary, readStatuspage, summaryUrl, upstreamState } from './statuspage.js';

let page: FakeStatuspage;

async function stateOf(only?: string[]) {
  const read = await readStatuspage(page.url);
  if (!read.ok) throw new Error(read.error);
  return upstreamState('Render', read.summary, only);
}

describe('readStatuspage and upstreamState', () => {
  beforeAll(async () => {
    page = await startFakeStatuspage('Render', ['Web Services', 'Static Sites', 'PostgreSQL']);
  });
  afterAll(() => page.close());
  beforeEach(() => {
    for (const c of page.components.keys()) page.components.set(c, 'operational');
    page.incidents = [];
    page.failWith = undefined;
  });

  it('reads the page, its components (not group rows) and says operational when all are', async () => {
    const read = await readStatuspage(`${page.url}/`);
    expect(read.ok && read.summary).toMatchObject({
      page: 'Render',
      indicator: 'none',
      components: [
        { name: 'Web Services', status: 'operational' },
        { name: 'Static Sites', status: 'operational' },
        { name: 'PostgreSQL', status: 'operational' },
      ],
    });
    expect(page.requests.at(-1)).toBe('/api/v2/summary.json');
    await expect(stateOf()).resolves.toEqual({
      status: 'operational',
      outcome: 'up',
      message: 'Render: operational',
    });
  });

  it('names the worst components and the open incidents: a partial outage is down', async () => {
    page.components.set('Web Services', 'partial_outage');
    page.components.set('PostgreSQL', 'degraded_performance');
    page.incidents = [{ name: 'Elevated error rates', status: 'investigating', impact: 'major' }];
    await expect(stateOf()).resolves.toEqual({
      status: 'partial_outage',
      outcome: 'down',
      message: 'Render: partial outage (Web Services); incident: Elevated error rates (investigating)',
    });
  });

  it('counts only the components named, case-insensitively, and says which are missing', async () => {
    page.components.set('Web Services', 'major_outage');
    await expect(stateOf(['static sites'])).resolves.toMatchObject({
      outcome: 'up',
      message: 'Render: operational',
    });
    page.components.set('Static Sites', 'degraded_performance');
    await expect(stateOf(['Static Sites', 'Cron Jobs'])).resolves.toEqual({
      status: 'degraded_performance',
      outcome: 'degraded',
      message: 'Render: degraded performance (Static Sites); no component named cron jobs on Render',
    });
  });

  it('does not call a component operational whose status it does not know', () => {
    const read = parseSummary(
      'https://status.example.com/api/v2/summary.json',
      JSON.stringify({
        page: { name: 'Example' },
        status: { indicator: 'minor', description: 'Minor service outage' },
        components: [
          { name: 'API', status: 'operational' },
          { name: 'Builds', status: 'elevated_errors' },
        ],
      }),
    );
    if (!read.ok) throw new Error(read.error);
    expect(upstreamState('Example', read.summary)).toEqual({
      status: 'elevated_errors',
      outcome: 'degraded',
      message: "Example: status 'elevated_errors' opsbook does not know (Builds)",
    });
  });

  it('shows the control characters of names on the page instead of sending them to the terminal', () => {
    const read = parseSummary(
      'https://status.example.com/api/v2/summary.json',
      JSON.stringify({
        page: { name: 'Example\u001b]0;pwned\u0007' },
        status: { indicator: 'major' },
        components: [{ name: 'API\u001b[2J', status: 'major_outage' }],
        incidents: [{ name: 'Down\u001b[31m', status: 'investigating', impact: 'major' }],
      }),
    );
    if (!read.ok) throw new Error(read.error);
    const { message } = upstreamState('Example', read.summary);
    expect(message).toBe('Example: major outage (API\\x1b[2J); incident: Down (investigating)');
    expect(read.summary.page).toBe('Example\\x1b]0;pwned\\x07');
  });

  it('says why when the page cannot be read or is not a Statuspage', async () => {
    page.failWith = 503;
    const failed = await readStatuspage(page.url);
    expect(failed).toEqual({ ok: false, error: `${page.url}/api/v2/summary.json answered HTTP 503` });
    const refused = await readStatuspage('http://127.0.0.1:9');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toContain('could not be read');
  });

  it('finds the summary from the page URL or any v2 endpoint of it', () => {
    expect(summaryUrl('https://status.render.com')).toBe('https://status.render.com/api/v2/summary.json');
    expect(summaryUrl('https://status.render.com/api/v2/status.json')).toBe(
      'https://status.render.com/api/v2/summary.json',
    );
  });
});
