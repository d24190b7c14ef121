import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { openStore, type Store } from '../store/index.js';
import { linkKey, SIGNING_KEY_VAR } from './link.js';

describe('linkKey', () => {
  let cwd: string;
  let store: Store;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'opsbook-link-'));
    store = await openStore({ cwd, env: {} });
  });
  afterAll(async () => {
    await store?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('refuses a signing key short enough to guess from one link', async () => {
    for (const key of ['changeme', 'k']) {
      const error = await linkKey(store, { [SIGNING_KEY_VAR]: key }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toBe(
        `${SIGNING_KEY_VAR} is ${key.length} characters: too short to sign acknowledge links (whoever holds one link could guess it and acknowledge any incident, stopping its escalation)`,
      );
    }
  });

  it('takes a long key from the environment, else generates one kept in the store', async () => {
    const strong = 'a1'.repeat(16);
    expect(await linkKey(store, { [SIGNING_KEY_VAR]: strong })).toBe(strong);
    const generated = await linkKey(store, { [SIGNING_KEY_VAR]: '' });
    expect(generated).toMatch(/^[0-9a-f]{64}$/);
    expect(await linkKey(store, {})).toBe(generated);
  });
});
