import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctor } from './doctor.js';

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'opsbook-doctor-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

const config = (service: string) =>
  writeFileSync(
    join(cwd, 'opsbook.yaml'),
    `name: bare\nenvironments: { production: {} }\nservices:\n  ${service}\n`,
  );

describe('doctor', () => {
  it('is ok with no problem and the lock read from the store', async () => {
    config('worker: { kind: worker }');
    const { report, ok } = await doctor({ cwd, env: {} });
    expect(report.findings).toEqual([
      expect.objectContaining({ check: 'deploy', verdict: 'ok', found: 'not locked; no runs yet' }),
    ]);
    expect(ok).toBe(true);
  });

  it('is not ok when a check finds a problem, and names the service', async () => {
    config(
      'api: { kind: web, urls: { production: "http://127.0.0.1:1" }, health: [{ type: liveness, path: /h }] }',
    );
    const { report, ok } = await doctor({ cwd, env: {}, service: 'api' });
    expect(report.service).toBe('api');
    expect(report.problems).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({ check: 'health', service: 'api', verdict: 'problem' });
    expect(ok).toBe(false);
  });
});
