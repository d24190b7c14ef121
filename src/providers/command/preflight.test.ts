import { describe, expect, it } from 'vitest';
import { checkPrograms, programOf } from './preflight.js';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('command preflight', () => {
  it('finds the program after env assignments and quotes', () => {
    expect(programOf('FOO=1 BAR=x vercel --prod')).toBe('vercel');
    expect(programOf("'./deploy.sh' now")).toBe('./deploy.sh');
    expect(programOf('(cd web && make)')).toBeUndefined();
  });

  it('refuses a command whose program is not installed, naming the config field', async () => {
    await expect(
      checkPrograms('web', [{ field: 'deploy', command: 'opsbook-no-such-cli-7f3 deploy --prod' }], '/', env),
    ).rejects.toThrow("'opsbook-no-such-cli-7f3' (services.web.provider.deploy) is not installed");
  });

  it('accepts shell builtins and programs on PATH', async () => {
    await expect(
      checkPrograms(
        'web',
        [
          { field: 'deploy', command: 'true' },
          { field: 'status', command: 'sh -c "echo live"' },
          { field: 'rollback', command: undefined },
        ],
        '/',
        env,
      ),
    ).resolves.toBeUndefined();
  });
});
