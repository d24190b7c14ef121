import { startFakeRailway } from '../../../test/fakes/railway/fake-railway.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createRailwayProvider } from './railway.js';

const TOKEN = 'rwy_ContractProjectToken0001';

describeProviderContract(
  'railway',
  async () => {
    const fake = await startFakeRailway({ token: TOKEN });
    const labels = createLabels();
    const service = { name: 'api', kind: 'web', provider: { type: 'railway', service: fake.ids.serviceId } };
    const provider = createRailwayProvider(service as ResolvedService, {
      baseUrl: fake.url,
      pollIntervalMs: 20,
      rollbackCheckIntervalMs: 20,
    });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { RAILWAY_TOKEN: TOKEN }, signal }),
      request(kind, label) {
        if (kind === 'bad') fake.failNextBuild('ERROR: failed to solve: process "npm ci" did not complete');
        if (kind === 'slow') fake.slowNextDeploy(2_500);
        return { environment: 'production', commit: labels.commit(label) };
      },
      served: async () =>
        labels.label(fake.deployments.find((d) => d.status === 'SUCCESS')?.meta?.commitHash),
      logMarker: 'Server listening on :8080',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
