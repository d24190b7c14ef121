import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { migrateOptionsFromConfig } from './from-config.js';

describe('migrateOptionsFromConfig', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-from-config-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const optionsFor = async (migrations: string) => {
    await writeFile(
      join(dir, 'opsbook.yaml'),
      `name: t\nservices:\n  db:\n    kind: database\nmigrations:\n  database: db\n  dir: prisma/migrations\n  engine: prisma\n${migrations}`,
    );
    const { config } = await loadConfig({ cwd: dir });
    return migrateOptionsFromConfig(config!, { cwd: dir, env: { DATABASE_URL: 'postgres://u@h/d' } })!;
  };

  it('gives the engine command an hour by default, and the configured time limit when set', async () => {
    expect((await optionsFor('')).commandTimeoutMs).toBe(3_600_000);
    const set = await optionsFor("  command: 'npx prisma migrate deploy'\n  commandTimeout: 90s\n");
    expect([set.command, set.commandTimeoutMs]).toEqual(['npx prisma migrate deploy', 90_000]);
  });
});
