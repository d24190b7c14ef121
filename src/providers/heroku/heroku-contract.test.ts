import { startFakeHeroku } from '../../../test/fakes/heroku/fake-heroku.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createHerokuProvider } from './heroku.js';

const TOKEN = 'hrku_ContractApiKey0001'; // gitleaks:allow (a fake token for this test)

describeProviderContract(
  'heroku',
  async () => {
    const fake = await startFakeHeroku({ token: TOKEN });
    const labels = createLabels();
    const service = {
      name: 'api',
      kind: 'web',
      provider: {
        type: 'heroku',
        app: fake.app,
        source: 'https://github.com/org/shop/archive/{commit}.tar.gz',
      },
    };
    const provider = createHerokuProvider(service as ResolvedService, {
      baseUrl: fake.url,
      pollIntervalMs: 20,
    });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { HEROKU_API_KEY: TOKEN }, signal }),
      request(kind, label) {
        if (kind === 'bad') fake.failNextRelease('ERROR: relation "users" does not exist');
        if (kind === 'slow') fake.slowNextBuild(2_500);
        return { environment: 'production', commit: labels.commit(label) };
      },
      served: async () => labels.label(fake.current()),
      logMarker: '-----> Launching',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
