import type { CommandHandler } from '../cli.js';
import { resolveEnvironment, type StackConfig } from '../config/index.js';
import { flagString } from './args.js';
import { configFor } from './config.js';

export interface StatusOptions {
  config: StackConfig;
  environment?: string;
}

export interface ServiceStatus {
  service: string;
  kind: string;
  platform: string;
  url: string | null;
  dependsOn: { service: string; critical: boolean }[];
  health: string[];
}

export interface StatusResult {
  stack: string;
  environment: string;
  services: ServiceStatus[];
}

/** The runbooks' architecture table, for one environment. Live health and the last deploy join it as they land. */
export function status(options: StatusOptions): StatusResult {
  const environment = options.environment ?? 'production';
  const services = resolveEnvironment(options.config, environment).map((s) => ({
    service: s.name,
    kind: s.kind,
    platform: s.platform ?? s.provider?.type ?? '-',
    url: s.url ?? null,
    dependsOn: s.dependencies,
    health: s.health.map((h) => `${h.type} ${h.path ?? h.url}`),
  }));
  return { stack: options.config.name, environment, services };
}

export const run: CommandHandler = async (input) => {
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const result = status({ config: loaded.config, environment: flagString(input, 'env') });
  return {
    ok: true,
    data: result,
    print: (out) => {
      out.heading(`${result.stack} · ${result.environment}`);
      out.table(result.services, [
        { header: 'SERVICE', value: (s) => s.service },
        { header: 'KIND', value: (s) => s.kind },
        { header: 'PLATFORM', value: (s) => s.platform },
        { header: 'URL', value: (s) => s.url ?? '-' },
        {
          header: 'DEPENDS ON',
          value: (s) =>
            s.dependsOn.map((d) => (d.critical ? d.service : `${d.service} (non-critical)`)).join(', ') ||
            '-',
        },
        { header: 'HEALTH', value: (s) => s.health.join(', ') || '-' },
      ]);
    },
  };
};
