import { startFakeVercel } from '../../../test/fakes/vercel/fake-vercel.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createVercelProvider } from './vercel.js';

const TOKEN = 'vcl_ContractSecretToken0001';

describeProviderContract(
  'vercel',
  async () => {
    const fake = await startFakeVercel({ token: TOKEN, teamId: 'team_contract' });
    const labels = createLabels();
    // A project always has a first production deployment (its import) to take the git source from.
    fake.seedProductionDeployment(labels.commit('v0'));
    const service = {
      name: 'web',
      kind: 'web',
      provider: { type: 'vercel', project: 'web', team: 'team_contract' },
    };
    const provider = createVercelProvider(service as ResolvedService, {
      baseUrl: fake.url,
      aliasPollIntervalMs: 20,
    });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { VERCEL_TOKEN: TOKEN }, signal }),
      request(kind, label) {
        if (kind === 'bad') fake.failNextBuild('Command "npm run build" exited with 1');
        if (kind === 'slow') fake.slowNextDeploy(2_500);
        return { environment: 'production', commit: labels.commit(label) };
      },
      served: async () => {
        const serving = fake.deployments.find((d) => d.id === fake.productionDeploymentId);
        return labels.label(serving?.meta?.githubCommitSha);
      },
      logMarker: 'Build Completed',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
