/** A notification and the context channels send it through. */
import type { Redactor } from '../output/index.js';

export interface Notification {
  /** What happened, e.g. `deploy.started`, `deploy.rolled-back`, `alert.firing`. */
  event: string;
  title: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
  fields?: Record<string, string>;
  at: string;
}

export interface ChannelContext {
  fetch: typeof fetch;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  redactor: Redactor;
  sleep: (ms: number) => Promise<void>;
  /** Where the console channel writes. */
  print: (line: string) => void;
}

export interface SendResult {
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
}
