// Platform-managed backups through the built CLI: `backup list` asks the Supabase API (fake on loopback), `backup
// confirm` records who saw a Render backup and when, and validate refuses a Supabase entry it could not check.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakePlatform } from '../fakes/fake-platform.js';
import { startFakeSupabase } from '../fakes/supabase/fake-supabase.js';

const cli = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist', 'main.js');

describe('opsbook backup for platform-managed databases (built CLI)', () => {
  let dir: string;
  let supabase: FakePlatform;
  let env: Record<string, string>;
  // Async spawn: the fake API runs in this process and must keep answering.
  const opsbook = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, ...args, '--plain'], {
        cwd: dir,
        env: { ...process.env, NO_COLOR: '1', ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    supabase = await startFakeSupabase({
      token: 'sbp_e2e',
      projects: [
        {
          ref: 'projref0000000000000',
          backups: [
            { is_physical_backup: true, status: 'COMPLETED', inserted_at: '2026-12-04T02:10:00.000Z' },
          ],
        },
      ],
    });
    dir = mkdtempSync(join(tmpdir(), 'opsbook-e2e-managed-'));
    env = {
      SUPABASE_ACCESS_TOKEN: 'sbp_e2e',
      OPSBOOK_SUPABASE_API_URL: supabase.url,
      OPSBOOK_ACTOR: 'Ada <ada@example.com>',
    };
    writeFileSync(
      join(dir, 'opsbook.yaml'),
      `name: shop
services:
  db: { kind: database }
backups:
  - { id: supa, database: db, managed: true, platform: supabase, resource: projref0000000000000, token: { env: SUPABASE_ACCESS_TOKEN } }
  - { id: render-db, database: db, managed: true, platform: render }
`,
    );
  });
  afterAll(async () => {
    await supabase?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the newest backup from the Supabase API', async () => {
    const r = await opsbook(['backup', 'list', 'supa']);
    expect(r.stdout).toContain('supa: newest backup 2026-12-04T02:10:00.000Z');
    expect(r.stdout).toContain('from the supabase API, 1 backups listed');
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('sbp_e2e');
  });

  it('fails list until a person confirms the Render backup, then shows who confirmed it', async () => {
    const before = await opsbook(['backup', 'list', 'render-db']);
    expect(before.code).toBe(1);
    expect(before.stdout + before.stderr).toMatch(/no backup of render has been confirmed/);
    const confirm = await opsbook([
      'backup',
      'confirm',
      'render-db',
      '--at',
      '2026-12-04T03:00:00Z',
      '--note',
      'Recovery tab shows 03:00',
    ]);
    expect(confirm.code).toBe(0);
    expect(confirm.stdout).toContain(
      'render-db: backup of 2026-12-04T03:00:00.000Z confirmed by Ada <ada@example.com>',
    );
    const after = await opsbook(['backup', 'list', 'render-db', '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).data).toMatchObject({
      newestAt: '2026-12-04T03:00:00.000Z',
      confirmation: { by: 'Ada <ada@example.com>', note: 'Recovery tab shows 03:00' },
    });
    // The API is the evidence for Supabase: a hand confirmation is refused.
    const refused = await opsbook(['backup', 'confirm', 'supa']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/checked through the supabase API/);
  });

  it('validate refuses a Supabase entry without a token, and a Render entry with one', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      `name: shop
services:
  db: { kind: database }
backups:
  - { id: supa, database: db, managed: true, platform: supabase, resource: projref0000000000000 }
  - { id: ren, database: db, managed: true, platform: render, token: { env: RENDER_API_KEY } }
`,
    );
    const r = await opsbook(['validate', '--config', 'bad.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/backup 'supa' on supabase needs token/);
    expect(r.stdout + r.stderr).toMatch(
      /backup 'ren' sets token, but render has no backup list opsbook reads/,
    );
  });
});
