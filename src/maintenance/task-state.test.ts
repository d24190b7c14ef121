import { describe, expect, it } from 'vitest';
import { taskStatus } from './task-state.js';
import type { Completion, MaintenanceTask } from './types.js';

const task = (every: string, timezone = 'UTC'): MaintenanceTask =>
  ({ id: 't', title: 'T', every, timezone }) as MaintenanceTask;
const done = (at: string, ok = true): Completion => ({ task: 't', at, by: 'ann', via: 'done', ok });
// Friday 2026-12-04 12:00 UTC; weekly means Mondays 00:00.
const NOW = new Date('2026-12-04T12:00:00Z');

describe('maintenance task state', () => {
  it('is due when never done, ok once done this period, and overdue after a whole missed period', () => {
    expect(taskStatus(task('weekly'), null, NOW)).toMatchObject({
      state: 'due',
      dueSince: '2026-11-30T00:00:00.000Z',
    });
    expect(taskStatus(task('weekly'), done('2026-12-01T09:00:00Z'), NOW)).toMatchObject({
      state: 'ok',
      dueSince: null,
      nextDue: '2026-12-07T00:00:00.000Z',
    });
    expect(taskStatus(task('weekly'), done('2026-11-25T09:00:00Z'), NOW)).toMatchObject({ state: 'due' });
    expect(taskStatus(task('weekly'), done('2026-11-18T09:00:00Z'), NOW)).toMatchObject({
      state: 'overdue',
      dueSince: '2026-11-23T00:00:00.000Z',
    });
  });

  it('does not count a failed check as done', () => {
    expect(taskStatus(task('weekly'), done('2026-12-01T09:00:00Z', false), NOW).state).toBe('due');
  });

  it('is overdue when its check has failed for a whole period since it last passed, not due again each week', () => {
    const failed = done('2026-12-01T09:00:00Z', false);
    expect(taskStatus(task('weekly'), failed, NOW, done('2026-11-10T09:00:00Z'))).toMatchObject({
      state: 'overdue',
      dueSince: '2026-11-16T00:00:00.000Z',
    });
    // Passed this period, then failed: due again, not ok.
    expect(
      taskStatus(task('weekly'), done('2026-12-02T09:00:00Z', false), NOW, done('2026-12-01T09:00:00Z')),
    ).toMatchObject({ state: 'due', dueSince: '2026-11-30T00:00:00.000Z' });
    // Passed last period, failed in this one: due since this period, as before.
    expect(taskStatus(task('weekly'), failed, NOW, done('2026-11-25T09:00:00Z')).state).toBe('due');
  });

  it('follows the time zone of the schedule', () => {
    // Monday 00:00 in Tokyo is Sunday 15:00 UTC.
    expect(taskStatus(task('weekly', 'Asia/Tokyo'), null, NOW).dueSince).toBe('2026-11-29T15:00:00.000Z');
    expect(taskStatus(task('quarterly'), done('2026-10-02T00:00:00Z'), NOW)).toMatchObject({
      state: 'ok',
      nextDue: '2027-01-01T00:00:00.000Z',
    });
  });
});
