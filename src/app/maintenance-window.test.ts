import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stackSchema } from '../config/schema.js';
import { windowEnd, windowList, windowStart } from './maintenance-window.js';

const config = stackSchema.parse({ name: 'shop', services: { api: { kind: 'web' } } });

describe('maintenance window use-cases', () => {
  let cwd: string;
  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-window-app-'));
  });
  afterEach(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('refuses an environment the config does not declare instead of opening a window nothing reads', async () => {
    const base = { cwd, env: {}, config, environment: 'prod' };
    await expect(windowStart({ ...base, services: ['api'], actor: 'ann' })).rejects.toThrow(
      "unknown environment 'prod'",
    );
    await expect(windowList(base)).rejects.toThrow("unknown environment 'prod'");
    await expect(windowEnd(base)).rejects.toThrow("unknown environment 'prod'");
    // Nothing was opened, in any environment.
    expect(await windowList({ ...base, environment: 'production' })).toEqual([]);
  });
});
