/**
 * Where a task stands against its schedule. Each scheduled occurrence opens a period; a completion at or after
 * the occurrence covers it. Due: the current period is not covered. Overdue: a whole period passed uncovered.
 */
import { parseSchedule, previousOccurrence } from '../schedule/index.js';
import type { Completion, MaintenanceTask, TaskState, TaskStatus } from './types.js';

/**
 * `lastDone` is the newest attempt, `lastOk` the newest that passed. A failing newest attempt leaves the task due
 * even in a period a pass covered, and it is overdue once a whole period passed since that pass: a check that has
 * failed for weeks is overdue, not due again each week.
 */
export function taskStatus(
  task: MaintenanceTask,
  lastDone: Completion | null,
  now: Date,
  lastOk: Completion | null = lastDone?.ok ? lastDone : null,
): TaskStatus {
  const schedule = parseSchedule(task.every, task.timezone);
  const current = previousOccurrence(schedule, now);
  const next = schedule.next(now);
  const passed = lastOk?.ok ? new Date(lastOk.at) : undefined;
  const done =
    lastDone?.ok === false && passed && current && passed >= current
      ? undefined // passed this period, then failed: due again, since this period's start
      : passed;
  let state: TaskState = 'ok';
  let dueSince: Date | undefined;
  if (current && (!done || done < current)) {
    // Uncovered: due since the first occurrence after the last completion (or, never done, the current one).
    dueSince = done ? schedule.next(done) : current;
    state = dueSince < current ? 'overdue' : 'due';
  }
  return {
    id: task.id,
    title: task.title,
    every: task.every,
    owner: task.owner ?? null,
    kind: task.check ? 'check' : task.run ? 'run' : 'checklist',
    state,
    dueSince: dueSince?.toISOString() ?? null,
    nextDue: next.toISOString(),
    lastDone,
  };
}
