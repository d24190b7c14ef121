import { describe, expect, it } from 'vitest';
import { type ComponentState, componentState, overallStatus } from './component-state.js';

describe('componentState', () => {
  it('maps healthy, degraded and unknown one to one', () => {
    expect(componentState('healthy', { failing: 0, total: 2 }, false)).toBe('operational');
    expect(componentState('degraded', { failing: 0, total: 2 }, false)).toBe('degraded_performance');
    expect(componentState('unknown', { failing: 0, total: 0 }, false)).toBe('unknown');
  });

  it('calls unhealthy a partial outage only while another of its probes still passes', () => {
    expect(componentState('unhealthy', { failing: 1, total: 2 }, false)).toBe('partial_outage');
    expect(componentState('unhealthy', { failing: 2, total: 2 }, false)).toBe('major_outage');
  });

  it('shows one down through a critical dependency no worse than that dependency', () => {
    expect(componentState('unhealthy', { failing: 0, total: 2 }, false, 'major_outage')).toBe('major_outage');
    expect(componentState('unhealthy', { failing: 0, total: 2 }, false, 'partial_outage')).toBe(
      'partial_outage',
    );
    expect(componentState('unhealthy', { failing: 0, total: 2 }, false)).toBe('partial_outage');
  });

  it('never shows a component nothing probed as an outage, whatever its dependencies', () => {
    expect(componentState('unhealthy', { failing: 0, total: 0 }, false, 'major_outage')).toBe('unknown');
    expect(componentState('degraded', { failing: 0, total: 0 }, false)).toBe('unknown');
  });

  it('puts maintenance above any health', () => {
    expect(componentState('unhealthy', { failing: 2, total: 2 }, true)).toBe('under_maintenance');
  });
});

describe('overallStatus', () => {
  const of = (...states: ComponentState[]) =>
    overallStatus(states.map((state, i) => ({ name: `c${i}`, state })));

  it('says all systems operational only when every component was checked and nothing is affected', () => {
    expect(of('operational', 'operational')).toEqual({
      state: 'operational',
      description: 'All Systems Operational',
    });
    // c1 was never checked (or its checks stopped): "all" would claim what nobody measured.
    expect(of('operational', 'unknown', 'unknown')).toEqual({
      state: 'operational',
      description: 'Checked Systems Operational (no data for c1, c2)',
    });
    expect(of('unknown')).toEqual({ state: 'unknown', description: 'Status not known yet' });
  });

  it('names the one affected component', () => {
    expect(of('operational', 'major_outage')).toEqual({
      state: 'major_outage',
      description: 'c1 Experiencing Major Outage',
    });
    expect(of('under_maintenance', 'operational').description).toBe('c0 Under Maintenance');
  });

  it('speaks of the whole page when every component shares one state', () => {
    expect(of('major_outage', 'major_outage')).toEqual({
      state: 'major_outage',
      description: 'Experiencing Major Outage',
    });
  });

  it('softens several but not all major outages to a partial outage, keeping the worst state', () => {
    expect(of('major_outage', 'major_outage', 'operational')).toEqual({
      state: 'major_outage',
      description: 'Experiencing Partial Outage',
    });
    expect(of('degraded_performance', 'partial_outage', 'operational').description).toBe(
      'Experiencing Partial Outage',
    );
  });
});
