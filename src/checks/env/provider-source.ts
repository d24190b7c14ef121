/** `--from provider`: each service's values from its own platform (the provider's getEnv), never one shared map. */
import { type ResolvedService, resolveEnvironment, type StackConfig } from '../../config/index.js';
import type { Diagnostic } from '../../diagnostics/index.js';
import { ProviderError, UserError } from '../../errors.js';
import {
  createProvider,
  createProviderContext,
  PROVIDERS,
  type ProviderContext,
} from '../../providers/index.js';
import { createRedactor, type Redactor } from '../../redact/index.js';
import type { EnvValue, LoadedSource, ServiceValues } from './sources.js';

/**
 * Platforms whose API lists a write-only variable with an empty (or null) value. Render is not here: its
 * env-var API returns every value, so an empty one there really is empty.
 */
const WRITE_ONLY: Partial<Record<string, string>> = {
  vercel: 'a Vercel sensitive variable, whose value the API never returns',
  railway: 'a sealed Railway variable, whose value the API never returns',
  fly: 'a Fly secret, whose value the API never returns',
};

const PLATFORM_NAMES: Partial<Record<string, string>> = {
  render: 'Render',
  vercel: 'Vercel',
  railway: 'Railway',
  fly: 'Fly.io',
  heroku: 'Heroku',
  netlify: 'Netlify',
};

export const platformName = (type: string): string => PLATFORM_NAMES[type] ?? type;

/** Why an empty value from this platform may be a hidden one (undefined: the platform returns every value). */
export const writeOnlyReason = (type: string): string | undefined => WRITE_ONLY[type];

export interface ProviderSourceOptions {
  cwd: string;
  config: StackConfig;
  environment: string;
  /** Holds the API tokens and the OPSBOOK_<PLATFORM>_API_URL overrides. */
  env: NodeJS.ProcessEnv;
  /** Learns the API tokens as the providers read them. */
  redactor?: Redactor;
  signal?: AbortSignal;
}

/** Reads every service that has an env contract; the ones that cannot be read get a diagnostic instead. */
export async function loadProviderSource(options: ProviderSourceOptions): Promise<LoadedSource> {
  const services = resolveEnvironment(options.config, options.environment).filter(
    (s) => Object.keys(s.env).length > 0,
  );
  const ctx = createProviderContext({
    cwd: options.cwd,
    env: options.env,
    redactor: options.redactor ?? createRedactor(),
    signal: options.signal,
  });
  const read = await Promise.all(services.map((svc) => readService(svc, options, ctx)));
  const byService = new Map<string, ServiceValues>();
  const diagnostics: Diagnostic[] = [];
  read.forEach((r, i) => {
    if ('severity' in r) diagnostics.push(r);
    else byService.set(services[i]!.name, r);
  });
  return { source: { kind: 'provider' }, values: new Map(), byService, diagnostics };
}

async function readService(
  svc: ResolvedService,
  options: ProviderSourceOptions,
  ctx: ProviderContext,
): Promise<ServiceValues | Diagnostic> {
  const where = `services.${svc.name}.provider`;
  const type = svc.provider?.type;
  if (!type || type === 'none')
    return notChecked(svc, type ? 'its provider type is none' : 'it has no provider', where);
  if (!PROVIDERS[type]) return notChecked(svc, `opsbook has no ${type} provider`, where);
  const provider = createProvider(svc, { cwd: options.cwd, env: options.env });
  try {
    if (!provider.getEnv)
      return notChecked(svc, `the ${type} provider cannot read env vars from a platform`, where);
    const branch = options.config.environments[options.environment]?.branch;
    const read = await provider.getEnv(ctx, {
      environment: options.environment,
      ...(branch ? { branch } : {}),
    });
    return { platform: type, values: toValues(read, type) };
  } catch (error) {
    if (!(error instanceof ProviderError || error instanceof UserError)) throw error;
    return {
      severity: 'error',
      code: 'env/provider-error',
      message: `could not read the env vars of ${svc.name} from ${platformName(type)}: ${withoutPrefix(error.message, type)}`,
      hint:
        error instanceof UserError && error.hint
          ? error.hint
          : `check the API token and ${where}, then run the check again`,
      location: { path: where },
    };
  } finally {
    await provider.close?.();
  }
}

/** Provider messages start with their type (`render: ...`); the diagnostic names the platform already. */
const withoutPrefix = (message: string, type: string) =>
  message.startsWith(`${type}: `) ? message.slice(type.length + 2) : message;

function toValues(raw: Record<string, string>, type: string): Map<string, EnvValue> {
  const why = WRITE_ONLY[type];
  const values = new Map<string, EnvValue>();
  for (const [key, value] of Object.entries(raw)) {
    // Typed as a string, but a sealed Railway variable can come back as null.
    const text = typeof value === 'string' ? value : '';
    values.set(key, why && text === '' ? { value: '', unreadable: why } : { value: text });
  }
  return values;
}

function notChecked(svc: ResolvedService, reason: string, where: string): Diagnostic {
  return {
    severity: 'info',
    code: 'env/not-checked',
    message: `${svc.name} was not checked against a platform: ${reason}`,
    hint: `check its values with --from file:PATH or --from process, or set ${where} to render, vercel, railway, fly, heroku or netlify`,
    location: { path: where },
  };
}
