import { startFakeFly } from '../../../test/fakes/fly/fake-fly.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createFlyProvider } from './fly.js';

const TOKEN = 'fly_ContractDeployToken0001'; // gitleaks:allow (a fake token for this test)

describeProviderContract(
  'fly',
  async () => {
    const fake = await startFakeFly({ token: TOKEN });
    const labels = createLabels();
    const service = { name: 'api', kind: 'web', provider: { type: 'fly', app: fake.app } };
    const provider = createFlyProvider(service as ResolvedService, { baseUrl: fake.url, pollIntervalMs: 20 });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { FLY_API_TOKEN: TOKEN }, signal }),
      request(kind, label) {
        const commit = labels.commit(label);
        if (kind === 'bad') fake.failImage(commit, 'connection refused on 0.0.0.0:8080');
        if (kind === 'slow') fake.slowImage(commit, 2_500);
        return { environment: 'production', commit };
      },
      async served() {
        const tags = new Set(
          fake.machines.map((m) => m.config.image.slice(m.config.image.lastIndexOf(':') + 1)),
        );
        return tags.size === 1 ? labels.label([...tags][0]) : undefined;
      },
      logMarker: 'started on registry.fly.io',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
