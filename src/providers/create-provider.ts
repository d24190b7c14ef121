// Picks the adapter for a service by its provider type, with a fix in the message when there is none.
import type { ResolvedService } from '../config/index.js';
import { UserError } from '../errors.js';
import { guardPlatformAnswers } from './platform-answers.js';
import { PROVIDERS, type ProviderOptions } from './registry.js';
import type { Provider } from './types.js';

/** The adapters that run opsbook's own code (the local runtime, the user's commands): their TypeErrors are bugs. */
const OWN: readonly string[] = ['local', 'command'];

export function createProvider(service: ResolvedService, options: ProviderOptions): Provider {
  const settings = service.provider;
  const where = `services.${service.name}.provider`;
  if (!settings) {
    throw new UserError(
      `service '${service.name}' has no provider, so opsbook cannot deploy it`,
      `add ${where} to opsbook.yaml, e.g. { type: local, command: "node server.js" } or { type: command, deploy: "railway up" }`,
    );
  }
  if (settings.type === 'none') {
    throw new UserError(
      `service '${service.name}' is not deployed by opsbook (${where}.type is none)`,
      'leave it out of the deploy (--service), or give it a provider that deploys it',
    );
  }
  const factory = PROVIDERS[settings.type];
  if (!factory) {
    const supported = Object.keys(PROVIDERS).join(', ');
    throw new UserError(
      `service '${service.name}': opsbook has no '${settings.type}' provider yet`,
      `set ${where} to one of ${supported}; { type: command, deploy: "..." } runs your platform's own CLI`,
    );
  }
  const provider = factory(service, options);
  return OWN.includes(settings.type) ? provider : guardPlatformAnswers(provider);
}
