/** Runs every doctor check and orders the findings: problems first, the likeliest cause first, then warnings. */
import { type ResolvedService, resolveEnvironment, type StackConfig } from '../config/index.js';
import type { EnvFingerprint } from '../env-fingerprint/index.js';
import { checkHealth } from '../health/index.js';
import { createProvider, type Provider } from '../providers/index.js';
import type { Redactor } from '../redact/index.js';
import { connectionsCheck } from './checks/connections.js';
import { corsCheck } from './checks/cors.js';
import { deployStateCheck } from './checks/deploy-state.js';
import { detailedCheck } from './checks/detailed.js';
import { dnsCheck } from './checks/dns.js';
import { envDriftCheck } from './checks/env-drift.js';
import { envSinceDeployCheck } from './checks/env-since-deploy.js';
import { healthChainCheck } from './checks/health-chain.js';
import { postgresStateCheck } from './checks/postgres-state.js';
import { providersCheck } from './checks/providers.js';
import { redisStateCheck } from './checks/redis-state.js';
import { tlsCheck } from './checks/tls.js';
import { upstreamStatusCheck } from './checks/upstream-status.js';
import type { DoctorCheck, DoctorContext, DoctorDeployState, Finding, Verdict } from './types.js';

export const CHECKS: readonly DoctorCheck[] = [
  dnsCheck,
  tlsCheck,
  connectionsCheck,
  providersCheck,
  envDriftCheck,
  envSinceDeployCheck,
  corsCheck,
  deployStateCheck,
  healthChainCheck,
  upstreamStatusCheck,
  postgresStateCheck,
  redisStateCheck,
  detailedCheck,
];

export interface DoctorOptions {
  cwd: string;
  config: StackConfig;
  configFile: string;
  environment: string;
  service?: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  deploy?: DoctorDeployState;
  envFingerprints?: EnvFingerprint[];
  providerFor?: (service: ResolvedService) => Provider;
  now?: () => number;
}

export interface DoctorReport {
  environment: string;
  service?: string;
  findings: Finding[];
  problems: number;
  warnings: number;
}

const ORDER: Record<Verdict, number> = { problem: 0, warning: 1, ok: 2, skipped: 3 };

export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.verdict] - ORDER[b.verdict] || a.rank - b.rank);
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const all = resolveEnvironment(options.config, options.environment);
  const health = await checkHealth({
    config: options.config,
    environment: options.environment,
    env: options.env,
    signal: options.signal,
    redactor: options.redactor,
    ...(options.service ? { service: options.service } : {}),
  });
  const inScope = new Set(health.services.map((s) => s.service));
  const providers = new Map<string, Provider>();
  const ctx: DoctorContext = {
    cwd: options.cwd,
    config: options.config,
    configFile: options.configFile,
    environment: options.environment,
    services: all.filter((s) => inScope.has(s.name)),
    ...(options.service ? { service: options.service } : {}),
    env: options.env,
    signal: options.signal,
    redactor: options.redactor,
    health,
    ...(options.deploy ? { deploy: options.deploy } : {}),
    ...(options.envFingerprints ? { envFingerprints: options.envFingerprints } : {}),
    providerFor: (service) => {
      const made =
        providers.get(service.name) ??
        options.providerFor?.(service) ??
        createProvider(service, { cwd: options.cwd, env: options.env });
      providers.set(service.name, made);
      return made;
    },
    now: options.now ?? Date.now,
  };
  try {
    const results = await Promise.all(
      CHECKS.map((check) =>
        check.run(ctx).catch((error: unknown): Finding[] => {
          if (error instanceof Error && error.name === 'AbortError') throw error;
          // A check that breaks is a finding too: it could not decide, which is not "ok".
          return [
            {
              check: check.name,
              verdict: 'skipped',
              rank: 99,
              looked: `the ${check.name} check`,
              found: `could not run: ${error instanceof Error ? error.message : String(error)}`,
            },
          ];
        }),
      ),
    );
    const findings = orderFindings(results.flat()).map((f) => options.redactor.redactData(f));
    return {
      environment: options.environment,
      ...(options.service ? { service: options.service } : {}),
      findings,
      problems: findings.filter((f) => f.verdict === 'problem').length,
      warnings: findings.filter((f) => f.verdict === 'warning').length,
    };
  } finally {
    await Promise.all([...providers.values()].map((p) => p.close?.()));
  }
}
