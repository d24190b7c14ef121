/**
 * User and environment errors are never exit 70 (issue 11 item 10): an alias bomb, a bad duration and a throwing
 * opsbook.config.ts are bad input (validate: 1, other commands: 2, each with its own message and location), and
 * a PostgreSQL connection dropped in the middle of a query is an environment failure (5). None prints a stack.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { markPgSkipped, pgAvailable, pgUrl, uniquePgName } from '../support/pg.js';
import { cli } from '../support/run-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsbook-exit-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function opsbook(args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** Neither the "bug" exit nor its stack trace. */
function expectNoBug(r: { code: number | null; out: string }) {
  expect(r.code).not.toBe(70);
  expect(r.out).not.toMatch(/opsbook hit a bug|\n\s+at .*\.js:\d+/);
}

const bomb = () => {
  const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
  }
  return `name: bomb\nservices: {}\n${levels.join('\n')}\n`;
};

const CASES: [string, Record<string, string>, RegExp][] = [
  ['a YAML alias bomb', { 'opsbook.yaml': bomb() }, /opsbook\.yaml:4:\d+.*alias.*\[config\/alias-limit\]/s],
  [
    'a gate timeout past its bound',
    {
      'opsbook.yaml':
        'name: s\nservices: { api: { kind: web } }\ngates:\n  - { id: t, run: "true", timeout: 25d }\n',
    },
    /opsbook\.yaml:4:\d+.*24h/s,
  ],
  [
    'an opsbook.config.ts that throws',
    { 'opsbook.config.ts': 'const x: number = 1;\nthrow new Error("no config for you " + x);\n' },
    /opsbook\.config\.ts:2:\d+.*no config for you 1/s,
  ],
  [
    'an opsbook.config.ts that throws a non-Error',
    { 'opsbook.config.ts': 'throw 42;\n' },
    /opsbook\.config\.ts.*42/s,
  ],
];

describe('bad input is never a bug', () => {
  it.each(CASES)(
    '%s: validate exits 1 and a command exits 2, with the message and where',
    async (_, files, said) => {
      const dir = project(files);
      const validate = await opsbook(['validate'], dir);
      expectNoBug(validate);
      expect(validate.code).toBe(1);
      expect(validate.out).toMatch(said);
      const status = await opsbook(['status'], dir);
      expectNoBug(status);
      expect(status.code).toBe(2);
      expect(status.out).toMatch(said);
    },
  );
});

const available = await pgAvailable();
if (!available)
  markPgSkipped('test/e2e/exit-codes.test.ts: PostgreSQL unreachable at OPSBOOK_TEST_DATABASE_URL');

/** A loopback TCP proxy to PostgreSQL that cuts both sides the moment the client sends `trigger`. */
async function cuttingProxy(
  target: URL,
  trigger: string,
): Promise<{ server: Server; port: number; cut: () => boolean }> {
  let cut = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (chunk.includes(trigger)) {
        cut = true;
        client.destroy();
        upstream.destroy();
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    for (const s of [client, upstream])
      s.on('error', () => {}).on('close', () => {
        client.destroy();
        upstream.destroy();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, cut: () => cut };
}

describe.skipIf(!available)('the state store connection dropped mid-query', () => {
  it('exits 5 with its own message, never 70', async () => {
    const database = uniquePgName('opsbook_exit');
    const admin = new pg.Client({ connectionString: pgUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const target = new URL(pgUrl());
    const proxy = await cuttingProxy(target, 'ORDER BY started_at DESC');
    try {
      const url = new URL(pgUrl());
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      url.pathname = `/${database}`;
      const dir = project({ 'opsbook.yaml': 'name: s\nservices: { api: { kind: web } }\n' });
      const r = await opsbook(['log'], dir, { OPSBOOK_DATABASE_URL: url.toString() });
      expect(proxy.cut(), r.out).toBe(true);
      expectNoBug(r);
      expect(r.code).toBe(5);
      expect(r.out).toMatch(/the database connection was lost/);
    } finally {
      proxy.server.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      await admin.end();
    }
  }, 60_000);
});
