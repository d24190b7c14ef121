// The incident story on the demo stack: the API breaks, the alert opens a P1 incident, step 1 emails the
// on-call person (a real SMTP server on loopback), nobody acks, step 2 emails the next level, the signed
// link acknowledges and stops the escalation, a rollback fixes it, the incident resolves by itself, and
// the postmortem draft has the timeline and the right durations.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoStack, repoRoot } from '../support/demo-stack.js';
import { type SmtpReceiver, startSmtpReceiver } from '../support/notify/receivers.js';
import { waitForValue } from '../support/wait-for.js';

const cli = join(repoRoot, 'dist', 'main.js');
const STEP2_WAIT_S = 4;
let dir = '';
let smtp: SmtpReceiver;
let serve: ChildProcess | undefined;

const env = () => ({ ...process.env, NO_COLOR: '1', OPSBOOK_ACTOR: 'e2e' });
function opsbook(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: env() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const json = <T>(args: string[]): T => JSON.parse(opsbook([...args, '--json']).stdout).data as T;

/** Quoted-printable bodies wrap long lines (the link) and escape '='. */
const decode = (body: string) =>
  body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

const patch = (port: number) => (yaml: string) =>
  yaml
    .replace(/bake: 10s\n(\s+)interval: 2s/, 'bake: 4s\n$1interval: 1s')
    .replace(/(\n\s+)interval: (30s|1m)\n/g, '$1interval: 1s\n')
    .replace('monitoring:\n  interval: 30s', 'monitoring:\n  interval: 1s')
    // Only the outage alert opens incidents here: the P2 burn-rate alert would open the same one first.
    .replaceAll('    severity: P2\n', '')
    // A person decides on this rollback: the broken release stays live until someone acts.
    .replace(
      'action: rollback\n      checks: [api-deep, list-notes]',
      'action: ask\n      checks: [api-deep, list-notes]',
    )
    .replace(
      'channels:\n  console:\n    type: console\n',
      `channels:\n  console:\n    type: console\n  mail:\n    type: email\n    to: [team@example.com]\n    from: opsbook@example.com\n    smtp: { host: 127.0.0.1, port: ${port}, secure: false }\n`,
    )
    .replace(
      /\nincidents:\n[\s\S]*?\n\nstatusPage:/,
      `
incidents:
  severities:
    P1: { name: Critical, respondWithin: 15m, page: true, channels: [console] }
    P2: { name: Degraded, respondWithin: 1h, channels: [console] }
  contacts:
    ana: { name: Ana, email: ana@example.com, channel: mail }
    ben: { name: Ben, email: ben@example.com, channel: mail }
  escalation:
    - { level: 1, after: 0s, notify: [ana] }
    - { level: 2, after: ${STEP2_WAIT_S}s, notify: [ben] }

statusPage:`,
    );

describe('an incident from the first failed probe to the postmortem', () => {
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    ({ dir } = await createDemoStack(patch(smtp.port)));
    expect(readFileSync(join(dir, 'opsbook.yaml'), 'utf8')).toContain('notify: [ben]');
  }, 60_000);
  afterAll(async () => {
    serve?.kill('SIGTERM');
    if (serve && serve.exitCode === null) await new Promise((r) => serve!.once('exit', r));
    const { stopLocalRuntime } = await import(
      pathToFileURL(join(repoRoot, 'dist', 'providers', 'index.js')).href
    );
    await stopLocalRuntime(dir).catch(() => undefined);
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('escalates, stops at the signed-link ack, resolves after the rollback, and drafts the postmortem', async () => {
    expect(opsbook(['validate']).code).toBe(0);
    expect(opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v1']).code).toBe(0);

    serve = spawn(process.execPath, [cli, 'serve', '--port', '0'], { cwd: dir, env: env() });
    let out = '';
    serve.stdout?.on('data', (d) => (out += d));
    serve.stderr?.on('data', (d) => (out += d));
    const url = await waitForValue(
      'serve to listen',
      () => /serving production at (http:\/\/\S+)/.exec(out)?.[1],
      { timeoutMs: 30_000 },
    );
    await waitForValue('api to be operational', async () => {
      const s = (await (await fetch(`${url}/api/v1/status`)).json()) as { components: { state: string }[] };
      return s.components[0]?.state === 'operational' ? true : undefined;
    });

    // v2 breaks the deep health check's SQL; verification fails and the rollback waits for a person.
    const server = join(dir, 'api', 'server.mjs');
    writeFileSync(server, readFileSync(server, 'utf8').replace("FROM notes'", "FROM note'"));
    spawnSync('git', ['-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-qam', 'v2'], {
      cwd: dir,
    });
    expect(opsbook(['deploy', '--yes', '--skip-gates', '--version', 'v2']).code).not.toBe(0);

    type Incident = { id: string; number: number; state: string; severity: string };
    const incident = await waitForValue('a P1 incident', () => json<Incident[]>(['incident', 'list'])[0]);
    expect(incident).toMatchObject({ number: 1, severity: 'P1' });

    const first = await waitForValue('step 1 email', () =>
      smtp.mails.find((m) => m.to.includes('ana@example.com')),
    );
    expect(first.subject).toContain('[P1] #1');
    const second = await waitForValue(
      'step 2 email',
      () => smtp.mails.find((m) => m.to.includes('ben@example.com')),
      { timeoutMs: 90_000 },
    );
    // Exactly one email per escalation step (the due maintenance tasks mail the team channel too).
    const incidentMails = () => smtp.mails.filter((m) => !m.subject.startsWith('Maintenance due'));
    expect(incidentMails().map((m) => m.to)).toEqual([['ana@example.com'], ['ben@example.com']]);

    const link = /https?:\/\/\S+\/incidents\/\S+\/ack\?token=[\w.-]+/.exec(decode(second.body))?.[0];
    expect(link, decode(second.body)).toBeDefined();
    const confirm = await fetch(link!);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('<form method="post">');
    expect(json<Incident[]>(['incident', 'list'])[0]?.state).toBe('triggered'); // a GET changes nothing
    const token = new URL(link!).searchParams.get('token')!;
    const ack = await fetch(link!.split('?')[0]!, { method: 'POST', body: new URLSearchParams({ token }) });
    expect(ack.status).toBe(200);
    expect(await ack.text()).toContain('acknowledged');
    const reuse = await fetch(link!.split('?')[0]!, { method: 'POST', body: new URLSearchParams({ token }) });
    expect(reuse.status).toBe(403);

    expect(opsbook(['rollback', '--yes']).code).toBe(0);
    await waitForValue('the incident to resolve', () =>
      json<Incident[]>(['incident', 'list', '--all'])[0]?.state === 'resolved' ? true : undefined,
    );
    expect(incidentMails().map((m) => m.to)).toEqual([['ana@example.com'], ['ben@example.com']]); // the ack stopped the escalation: nobody else was paged

    type Report = {
      incident: { openedAt: string };
      timeline: { kind: string; message: string; at: string }[];
      deploys: { kind: string }[];
      times: { ackMs: number; resolveMs: number; ackTargetMs: number; detectMs: number };
      impact: { durationMs: number; checks: { down: number } };
    };
    const report = json<Report>(['incident', 'postmortem', '1', '--format', 'json']);
    const kinds = report.timeline.map((e) => e.kind);
    for (const k of ['alert', 'notify', 'ack', 'rollback', 'recovery', 'resolve']) expect(kinds).toContain(k);
    const notified = report.timeline.filter((e) => e.kind === 'notify');
    expect(notified.map((e) => e.message)).toEqual([
      expect.stringContaining('Step 1 (level 1): notified Ana via mail'),
      expect.stringContaining('Step 2 (level 2): notified Ben via mail'),
    ]);
    // Step 2 waited its time after the incident opened.
    expect(Date.parse(notified[1]!.at) - Date.parse(report.incident.openedAt)).toBeGreaterThanOrEqual(
      STEP2_WAIT_S * 1000,
    );
    expect(kinds.indexOf('ack')).toBeLessThan(kinds.indexOf('rollback'));
    expect(kinds.indexOf('rollback')).toBeLessThan(kinds.indexOf('recovery'));
    expect(report.deploys.map((d) => d.kind)).toEqual(expect.arrayContaining(['deploy', 'rollback']));
    expect(report.times.ackMs).toBeGreaterThanOrEqual((STEP2_WAIT_S - 1) * 1000);
    expect(report.times.ackMs).toBeLessThan(report.times.resolveMs);
    expect(report.times.resolveMs).toBe(report.impact.durationMs);
    expect(report.times.ackTargetMs).toBe(15 * 60_000);
    expect(report.impact.checks.down).toBeGreaterThan(0);

    const markdown = opsbook(['incident', 'postmortem', '1']).stdout;
    expect(markdown).toContain('# Postmortem: #1');
    expect(markdown).toMatch(/Time to acknowledge: \d+s \(target 15m: met\)/);
    expect(markdown).toMatch(/rollback \S+ by e2e: rolled-back/);
    expect(markdown).toContain('## Action items');
  }, 180_000);
});
