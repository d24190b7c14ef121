/** The deploy lock, an interrupted run and a paused verification: what blocks the next deploy. */

import { isResumable } from '../../deploy/index.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';

export const deployStateCheck: DoctorCheck = {
  name: 'deploy',
  async run(ctx) {
    const state = ctx.deploy;
    if (!state) return [];
    const looked = `the deploy lock and the last run of ${ctx.environment}`;
    const base = { check: 'deploy', rank: RANK.deployState, looked };
    const findings: Finding[] = [];
    const run = state.lastRun;
    if (run && isResumable(run.status) && (run.status !== 'running' || state.lock?.processGone)) {
      findings.push({
        ...base,
        verdict: 'problem',
        found: `${run.kind} ${run.id} is ${run.status === 'running' ? 'interrupted (its process is gone)' : run.status}${run.stoppedAt ? `, stopped at ${run.stoppedAt}` : ''}`,
        fix:
          run.status === 'paused'
            ? `decide: 'opsbook deploy --resume' continues the verification, 'opsbook rollback' goes back`
            : `'opsbook deploy --resume' continues it; 'opsbook unlock' gives up on it`,
      });
    } else if (state.lock) {
      findings.push({
        ...base,
        verdict: 'warning',
        found: `${ctx.environment} is locked since ${state.lock.since}: ${state.lock.reason ?? state.lock.holder}`,
        fix: `'opsbook unlock' once the cause is understood (a rollback keeps production locked on purpose)`,
      });
    } else {
      findings.push({
        ...base,
        verdict: 'ok',
        found: run ? `not locked; the last ${run.kind} ${run.status}` : 'not locked; no runs yet',
      });
    }
    return findings;
  },
};
