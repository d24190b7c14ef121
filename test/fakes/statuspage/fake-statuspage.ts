/**
 * A loopback Statuspage v2 public API, shaped as Atlassian documents it (and as status.render.com and
 * www.vercel-status.com answer): GET /api/v2/status.json and /api/v2/summary.json with the page, the
 * rolled-up indicator, the components (groups included) and the unresolved incidents. Tests set the state.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeComponentStatus =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance';

export interface FakeStatuspage {
  url: string;
  /** Component name -> status; set by tests. */
  components: Map<string, FakeComponentStatus>;
  incidents: { name: string; status: string; impact: 'none' | 'minor' | 'major' | 'critical' }[];
  /** Answer every request with this HTTP status instead (the status page itself failing). */
  failWith?: number;
  readonly requests: string[];
  close(): Promise<void>;
}

/** Statuspage's roll-up: the worst component decides the indicator and its words. */
function indicator(statuses: FakeComponentStatus[]): { indicator: string; description: string } {
  if (statuses.includes('major_outage')) return { indicator: 'critical', description: 'Major System Outage' };
  if (statuses.includes('partial_outage'))
    return { indicator: 'major', description: 'Partial System Outage' };
  if (statuses.includes('degraded_performance'))
    return { indicator: 'minor', description: 'Minor Service Outage' };
  if (statuses.includes('under_maintenance'))
    return { indicator: 'maintenance', description: 'Service Under Maintenance' };
  return { indicator: 'none', description: 'All Systems Operational' };
}

export async function startFakeStatuspage(name: string, components: string[]): Promise<FakeStatuspage> {
  const requests: string[] = [];
  const state: Omit<FakeStatuspage, 'url' | 'close' | 'requests'> = {
    components: new Map(components.map((c) => [c, 'operational' as const])),
    incidents: [],
  };
  let url = '';
  const page = () => ({
    id: 'fakepage01',
    name,
    url,
    time_zone: 'Etc/UTC',
    updated_at: new Date().toISOString(),
  });
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (fake.failWith) return send(fake.failWith, { error: 'unavailable' });
    const status = indicator([...fake.components.values()]);
    const now = new Date().toISOString();
    if (req.url === '/api/v2/status.json') return send(200, { page: page(), status });
    if (req.url !== '/api/v2/summary.json') return send(404, { error: 'Not found' });
    const rows = [...fake.components].map(([n, s], i) => ({
      id: `comp${i}`,
      name: n,
      status: s,
      created_at: now,
      updated_at: now,
      position: i + 2,
      description: null,
      showcase: false,
      start_date: null,
      group_id: 'group0',
      page_id: 'fakepage01',
      group: false,
      only_show_if_degraded: false,
    }));
    send(200, {
      page: page(),
      status,
      components: [
        // A group row: Statuspage lists it with the worst status of its children, which are listed too.
        {
          id: 'group0',
          name: 'All services',
          status: rows.some((r) => r.status !== 'operational') ? 'partial_outage' : 'operational',
          group: true,
          position: 1,
          components: rows.map((r) => r.id),
        },
        ...rows,
      ],
      incidents: fake.incidents.map((i, n) => ({
        id: `inc${n}`,
        name: i.name,
        status: i.status,
        impact: i.impact,
        created_at: now,
        updated_at: now,
        shortlink: `https://stspg.io/inc${n}`,
        incident_updates: [
          { id: `upd${n}`, status: i.status, body: `${i.name}: ${i.status}`, created_at: now },
        ],
      })),
      scheduled_maintenances: [],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeStatuspage = {
    url,
    ...state,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
