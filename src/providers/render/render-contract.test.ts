import { startFakeRender } from '../../../test/fakes/render/fake-render.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createRenderProvider } from './render.js';

const TOKEN = 'rnd_ContractSecretKey0001';

describeProviderContract(
  'render',
  async () => {
    const fake = await startFakeRender({ token: TOKEN });
    const labels = createLabels();
    const service = { name: 'api', kind: 'web', provider: { type: 'render', serviceId: fake.service.id } };
    const provider = createRenderProvider(service as ResolvedService, {
      baseUrl: fake.url,
      pollIntervalMs: 20,
    });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { RENDER_API_KEY: TOKEN }, signal }),
      request(kind, label) {
        if (kind === 'bad') fake.failNextBuild('npm ERR! Missing script: "build"');
        if (kind === 'slow') fake.slowNextDeploy(2_500);
        return { environment: 'production', commit: labels.commit(label) };
      },
      served: async () => labels.label(fake.deploys.find((d) => d.status === 'live')?.commit?.id),
      logMarker: '==> Your service is live',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
