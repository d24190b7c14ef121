/**
 * Where a task stands against its schedule. Each scheduled occurrence opens a period; a completion at or after
 * the occurrence covers it. Due: the current period is not covered. Overdue: a whole period passed uncovered.
 */
import { parseSchedule, previousOccurrence } from '../schedule/index.js';
import type { Completion, MaintenanceTask, TaskState, TaskStatus } from './types.js';

export function taskStatus(task: MaintenanceTask, lastDone: Completion | null, now: Date): TaskStatus {
  const schedule = parseSchedule(task.every, task.timezone);
  const current = previousOccurrence(schedule, now);
  const next = schedule.next(now);
  const done = lastDone?.ok ? new Date(lastDone.at) : undefined;
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
