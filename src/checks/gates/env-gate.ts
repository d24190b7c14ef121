/** The `env` gate: the env contract checked for the environment being deployed (options.from: process | file:PATH). */

import type { Gate } from '../../config/index.js';
import { checkEnv } from '../env/index.js';
import type { GateContext, GateOutcome } from './types.js';

export async function runEnvGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const from = typeof gate.options?.from === 'string' ? gate.options.from : undefined;
  const result = await checkEnv({
    cwd: ctx.cwd,
    config: ctx.config,
    configFile: ctx.configFile ?? 'opsbook.yaml',
    environment: ctx.environment,
    from,
    env: ctx.env,
    redactor: ctx.redactor,
  });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  const evidence = {
    source: result.source.kind === 'file' ? `file:${result.source.file}` : result.source.kind,
    services: result.services,
    variables: result.variables,
    errors: errors.length,
    warnings: warnings.length,
  };
  return {
    status: errors.length ? 'failed' : 'passed',
    summary: errors.length
      ? `${errors.length} env contract problem(s): ${errors
          .slice(0, 2)
          .map((d) => d.message)
          .join('; ')}${errors.length > 2 ? '; …' : ''}`
      : `${result.variables} variable(s) of ${result.services} service(s) meet the contract${warnings.length ? ` (${warnings.length} warning(s))` : ''}`,
    evidence,
    diagnostics: result.diagnostics,
  };
}
