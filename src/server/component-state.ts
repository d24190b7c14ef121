/**
 * Our health in Statuspage's vocabulary (the states openstatus and most status pages use), plus
 * `unknown` as openstatus has it for a component nothing has checked yet, and the page's overall line
 * after Instatus's documented rules.
 */
import type { HealthState } from '../health/index.js';

export type ComponentState =
  | 'operational'
  | 'degraded_performance'
  | 'partial_outage'
  | 'major_outage'
  | 'under_maintenance'
  | 'unknown';

export const STATE_LABEL: Record<ComponentState, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded Performance',
  partial_outage: 'Partial Outage',
  major_outage: 'Major Outage',
  under_maintenance: 'Under Maintenance',
  unknown: 'No Data',
};

/** Worse states sort higher; maintenance is announced, so it ranks below any surprise. */
const SEVERITY: Record<ComponentState, number> = {
  unknown: 0,
  operational: 1,
  under_maintenance: 2,
  degraded_performance: 3,
  partial_outage: 4,
  major_outage: 5,
};

/**
 * healthy → operational, degraded → degraded_performance, unhealthy → partial_outage when only some of
 * its own probes fail (another still answers), else major_outage; maintenance overrides them all.
 * A component unhealthy only through a critical dependency (its own probes pass) is never shown worse
 * than that dependency (`dependency`, its page state), and one never probed is not known: the page shows
 * what was measured, not an outage nobody saw.
 */
export function componentState(
  health: HealthState,
  probes: { failing: number; total: number },
  maintenance: boolean,
  dependency?: ComponentState,
): ComponentState {
  if (maintenance) return 'under_maintenance';
  if (probes.total === 0) return 'unknown';
  switch (health) {
    case 'healthy':
      return 'operational';
    case 'degraded':
      return 'degraded_performance';
    case 'unhealthy':
      if (probes.failing === 0) return dependency === 'major_outage' ? 'major_outage' : 'partial_outage';
      return probes.failing < probes.total ? 'partial_outage' : 'major_outage';
    case 'unknown':
      return 'unknown';
  }
}

export interface OverallStatus {
  state: ComponentState;
  description: string;
}

export function overallStatus(components: readonly { name: string; state: ComponentState }[]): OverallStatus {
  const known = components.filter((c) => c.state !== 'unknown');
  if (!known.length) return { state: 'unknown', description: 'Status not known yet' };
  const affected = known.filter((c) => c.state !== 'operational');
  if (!affected.length) {
    // A component without data was not seen working: "All Systems Operational" would vouch for it.
    const unseen = components.filter((c) => c.state === 'unknown').map((c) => c.name);
    return {
      state: 'operational',
      description: unseen.length
        ? `Checked Systems Operational (no data for ${unseen.join(', ')})`
        : 'All Systems Operational',
    };
  }
  const worst = affected.reduce((a, b) => (SEVERITY[b.state] > SEVERITY[a.state] ? b : a)).state;
  const verb = (s: ComponentState) =>
    s === 'under_maintenance' ? STATE_LABEL[s] : `Experiencing ${STATE_LABEL[s]}`;
  if (affected.length === 1) return { state: worst, description: `${affected[0]!.name} ${verb(worst)}` };
  const allSame = affected.every((c) => c.state === worst);
  if (allSame && affected.length === components.length) return { state: worst, description: verb(worst) };
  // Several components but not all of them: the softer label, as Instatus words it.
  const softened = worst === 'major_outage' ? 'partial_outage' : worst;
  return { state: worst, description: verb(softened) };
}
