import { describe, expect, it } from 'vitest';
import type { ResolvedService } from '../config/index.js';
import { validateConfigText } from '../config/validate.js';
import type { LogLine, Provider } from '../providers/index.js';
import { createRedactor } from '../redact/index.js';
import { followLogs, readLogs } from './read-logs.js';

const YAML = `name: shop
environments: { production: {} }
services:
  api: { kind: web, provider: { type: command, deploy: "true" }, env: { JWT_SECRET: { secret: true } } }
  worker: { kind: worker, provider: { type: command, deploy: "true" } }
  db: { kind: database }
`;
const SECRET = 'Jw7Qx2Lm9Zp4Wc8Rt5Yb3Nk'; // gitleaks:allow (a fake secret for this test)

/** A provider whose live deploy's log grows as the test pushes lines. */
function fakeProvider(service: ResolvedService, lines: LogLine[]): Provider {
  return {
    type: 'fake',
    service,
    deploy: async () => {
      throw new Error('unused');
    },
    getDeploy: async () => {
      throw new Error('unused');
    },
    rollback: async () => {
      throw new Error('unused');
    },
    listDeploys: async () => [{ id: `d-${service.name}`, state: 'live', createdAt: '2026-01-01T00:00:00Z' }],
    logs: async (_id, _ctx, cursor) => ({
      lines: lines.slice(Number(cursor ?? 0)),
      cursor: String(lines.length),
    }),
  };
}

function setup() {
  const { config } = validateConfigText(YAML, 'opsbook.yaml');
  if (!config) throw new Error('bad test config');
  const api: LogLine[] = [
    {
      at: '2026-01-01T10:00:01Z',
      source: 'runtime',
      text: '{"level":"info","time":"2026-01-01T10:00:01Z","msg":"listening"}',
    },
    {
      at: '2026-01-01T10:00:04Z',
      source: 'runtime',
      text: `{"level":"error","time":"2026-01-01T10:00:04Z","msg":"login failed for token ${SECRET}"}`,
    },
  ];
  const worker: LogLine[] = [
    {
      at: '2026-01-01T10:00:02Z',
      source: 'runtime',
      text: '2026-01-01T10:00:02Z INFO connecting to postgres://app:Pz8Kq3Wn6Vb1@db:5432/shop', // gitleaks:allow (a fake password for this test)
    },
    {
      at: '2026-01-01T10:00:03Z',
      source: 'runtime',
      text: 'WARN retrying with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc',
    },
  ];
  const redactor = createRedactor([SECRET]);
  const options = {
    cwd: '.',
    config,
    environment: 'production',
    env: {},
    redactor,
    providerFor: (s: ResolvedService) => fakeProvider(s, s.name === 'api' ? api : worker),
  };
  return { options, api, worker };
}

describe('readLogs', () => {
  it('interleaves the services by time and masks secrets, URL passwords and bearer tokens', async () => {
    const { options } = setup();
    const report = await readLogs({ ...options, signal: new AbortController().signal });
    expect(report.entries.map((e) => `${e.service} ${e.level} ${e.message}`)).toEqual([
      'api info listening',
      'worker info INFO connecting to postgres://app:[REDACTED]@db:5432/shop',
      'worker warn WARN retrying with Authorization: Bearer [REDACTED]',
      'api error login failed for token [REDACTED]',
    ]);
    const all = JSON.stringify(report);
    for (const secret of [SECRET, 'Pz8Kq3Wn6Vb1', 'eyJhbGciOiJIUzI1NiJ9abc'])
      expect(all).not.toContain(secret);
    // The database has no provider: not asked for, so not read and not a failure.
    expect(report.services).toEqual(['api', 'worker']);
    expect(report.notes).toEqual([]);
  });

  it('keeps only lines at or above --level and matching --grep', async () => {
    const { options } = setup();
    const signal = new AbortController().signal;
    const errors = await readLogs({ ...options, signal, level: 'warn' });
    expect(errors.entries.map((e) => e.service)).toEqual(['worker', 'api']);
    const grep = await readLogs({ ...options, signal, grep: '/connect(ing|ed)/' });
    expect(grep.entries.map((e) => e.service)).toEqual(['worker']);
  });

  it('notes a service it was asked for that has no logs, and refuses an unknown one', async () => {
    const { options } = setup();
    const signal = new AbortController().signal;
    const report = await readLogs({ ...options, signal, services: ['db', 'api'] });
    expect(report.notes).toEqual([{ service: 'db', message: expect.stringMatching(/no provider/) }]);
    await expect(readLogs({ ...options, signal, services: ['apu'] })).rejects.toThrow(/no service 'apu'/);
  });

  it('fails clearly for a service with no live deploy instead of showing no lines as success', async () => {
    const { options } = setup();
    const signal = new AbortController().signal;
    const none = (s: ResolvedService): Provider => ({ ...fakeProvider(s, []), listDeploys: async () => [] });
    const empty = await readLogs({ ...options, signal, services: ['api'], providerFor: none });
    expect(empty.entries).toEqual([]);
    expect(empty.notes).toEqual([
      {
        service: 'api',
        message: expect.stringMatching(/no live deploy .*fake lists no deploy of it.*opsbook deploy api/),
      },
    ]);
    const failed = (s: ResolvedService): Provider => ({
      ...fakeProvider(s, []),
      listDeploys: async () => [{ id: 'd-9', state: 'failed', createdAt: '2026-01-01T00:00:00Z' }],
    });
    const report = await readLogs({ ...options, signal, services: ['worker'], providerFor: failed });
    expect(report.notes[0]?.message).toMatch(/latest fake deploy d-9 is failed; deploy it/);
  });
});

describe('followLogs', () => {
  it('hands out only new lines on each poll, interleaved, until the signal aborts', async () => {
    const { options, api, worker } = setup();
    const abort = new AbortController();
    const batches: string[][] = [];
    const done = followLogs(
      { ...options, signal: abort.signal, intervalMs: 10 },
      (entries) => {
        batches.push(entries.map((e) => `${e.service}:${e.message}`));
        if (batches.length === 1) {
          worker.push({ at: '2026-01-01T10:00:06Z', source: 'runtime', text: 'indexed 3 notes' });
          api.push({ at: '2026-01-01T10:00:05Z', source: 'runtime', text: 'POST /api/notes 201' });
        } else abort.abort();
      },
      () => undefined,
    );
    await done;
    expect(batches[0]).toHaveLength(4);
    expect(batches[1]).toEqual(['api:POST /api/notes 201', 'worker:indexed 3 notes']);
  });
});
