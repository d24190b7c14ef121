import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { v8FlagsSet } from '../vendor/index.js';
import { openSqliteDriver, type SqliteDriver } from './sqlite-driver.js';

// These tests play the other process by creating `<db>.lock` by hand: that directory is the VFS's
// cross-process lock (see the module comment in sqlite-driver.ts).
describe('sqlite driver', () => {
  let dir: string;
  let path: string;
  let driver: SqliteDriver;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opsbook-sqlite-'));
    path = join(dir, 'state.sqlite');
    driver = openSqliteDriver(path, { busyTimeoutMs: 2_000, staleLockMs: 10_000 });
    await driver.all('CREATE TABLE t (x INTEGER)');
  });
  afterEach(async () => {
    driver.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('merges rollup sketch bins with opsbook_merge_bins, NULL counting as none', async () => {
    const [row] = await driver.all(
      `SELECT opsbook_merge_bins('{"3":2,"z":1}', '{"3":5,"7":1}') AS both,
              opsbook_merge_bins(NULL, '{"4":1}') AS first_null, opsbook_merge_bins('{"4":1}', NULL) AS second_null`,
    );
    expect(JSON.parse(String(row?.both))).toEqual({ 3: 7, z: 1, 7: 1 });
    expect(JSON.parse(String(row?.first_null))).toEqual({ 4: 1 });
    expect(JSON.parse(String(row?.second_null))).toEqual({ 4: 1 });
  });

  it("compiles SQLite's WASM with V8's baseline compiler only when a command opens it on the main thread", () => {
    // Vitest runs this file on a main thread of its own (forks), as a CLI command would.
    expect(v8FlagsSet()).toContain('--liftoff-only');
  });

  it('waits for another process to release the lock instead of failing with SQLITE_BUSY', async () => {
    mkdirSync(`${path}.lock`);
    const released = new Promise<void>((resolve) =>
      setTimeout(() => {
        rm(`${path}.lock`, { recursive: true }).then(resolve);
      }, 150),
    );
    const write = driver.all('INSERT INTO t VALUES (1) RETURNING x');
    await released;
    expect(await write).toEqual([{ x: 1 }]);
  });

  it('removes a lock directory left behind by a crashed process', async () => {
    mkdirSync(`${path}.lock`);
    const anHourAgo = new Date(Date.now() - 3600_000);
    utimesSync(`${path}.lock`, anHourAgo, anHourAgo);
    expect(await driver.all('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('gives up with a UserError naming the lock directory when a live lock is never released', async () => {
    const impatient = openSqliteDriver(path, { busyTimeoutMs: 300, staleLockMs: 10_000 });
    mkdirSync(`${path}.lock`);
    const error = await impatient.all('SELECT count(*) AS n FROM t').catch((e: unknown) => e);
    impatient.close();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('store/locked');
    expect((error as UserError).hint).toContain(`${path}.lock`);
    expect(existsSync(`${path}.lock`)).toBe(true);
  });

  it('rolls a transaction back when it throws', async () => {
    const failing = driver.transaction((tx) => {
      tx.all('INSERT INTO t VALUES (1)');
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    expect(await driver.all('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    expect(await driver.transaction((tx) => tx.all('INSERT INTO t VALUES (2) RETURNING x'))).toEqual([
      { x: 2 },
    ]);
  });
});
