import { startFakeNetlify } from '../../../test/fakes/netlify/fake-netlify.js';
import { createLabels } from '../../../test/support/providers/http/context.js';
import type { ResolvedService } from '../../config/index.js';
import { createProviderContext } from '../context.js';
import { describeProviderContract } from '../provider.contract.js';
import { createNetlifyProvider } from './netlify.js';

const TOKEN = 'nfp_ContractAccessToken0001'; // gitleaks:allow (a fake token for this test)

describeProviderContract(
  'netlify',
  async () => {
    const fake = await startFakeNetlify({ token: TOKEN });
    const labels = createLabels();
    const service = { name: 'web', kind: 'static', provider: { type: 'netlify', site: fake.site.id } };
    const provider = createNetlifyProvider(service as ResolvedService, { baseUrl: fake.url });
    return {
      provider,
      context: (signal) =>
        createProviderContext({ cwd: process.cwd(), env: { NETLIFY_AUTH_TOKEN: TOKEN }, signal }),
      request(kind, label) {
        const commit = labels.commit(label);
        fake.setHead(commit);
        if (kind === 'bad') fake.failNextBuild('Build script returned non-zero exit code: 2');
        if (kind === 'slow') fake.slowNextBuild(2_500);
        return { environment: 'production', commit };
      },
      served: async () => labels.label(fake.published()?.commit_ref ?? undefined),
      logMarker: 'Site is live',
      dispose: () => fake.close(),
    };
  },
  { pollMs: 20 },
);
