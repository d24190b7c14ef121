/** Maintenance tasks as configured, their schedule state, and the evidence a completion records. */
import type { StackConfig } from '../config/index.js';

export type MaintenanceTask = StackConfig['maintenance'][number];

export type TaskState = 'ok' | 'due' | 'overdue';

export interface Finding {
  severity: 'info' | 'warning';
  message: string;
}

/** What a built-in check or a `run:` command produced. `ok` is false when it found problems or could not run. */
export interface Evidence {
  ok: boolean;
  summary: string;
  findings: Finding[];
  data?: unknown;
}

export interface Completion {
  task: string;
  at: string;
  by: string | null;
  via: 'check' | 'run' | 'done';
  ok: boolean;
  evidence?: Evidence;
  note?: string;
}

export interface TaskStatus {
  id: string;
  title: string;
  every: string;
  owner: string | null;
  kind: 'check' | 'run' | 'checklist';
  state: TaskState;
  /** The occurrence the task is due for (null when it was never done and no occurrence is known). */
  dueSince: string | null;
  /** When it is next due after the current period. */
  nextDue: string;
  lastDone: Completion | null;
}
