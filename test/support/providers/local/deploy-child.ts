// Run as its own process by local.test.ts: starts a deploy, prints its id, then waits to be killed mid-deploy.
import { createLocalProvider } from '../../../../src/providers/local/index.js';
import { localContext, webService } from './local-fixture.js';

const [stackDir, pidDir, service, version] = process.argv.slice(2);
const provider = createLocalProvider(webService(service!), { readyTimeoutMs: 10_000 });
const deploy = await provider.deploy(
  { environment: 'test', version, releaseEnv: { READY_DELAY_MS: '1500' } },
  localContext(stackDir!, pidDir!),
);
process.stdout.write(`${deploy.id}\n`);
setInterval(() => {}, 1000);
