// The processes of one service's releases: start one on a free port and wait for its readiness, stop one, and keep
// each release's log. Which release serves is the business of service-runtime.ts.
import { describeExit, type ShellExit, type ShellProcess, startShell } from '../../shell/index.js';
import type { LogLine } from '../types.js';
import type { ReleaseRecord } from './protocol.js';
import { findFreePort, type ReadyResult, waitForReady } from './readiness.js';
import { ReleaseLog } from './release-logs.js';

interface Running {
  proc: ShellProcess;
  port: number | undefined;
  stopping: boolean;
}

const MAX_LOGS = 30;
const TAIL_LINES = 10;

export interface ReleaseProcessesOptions {
  logPath: (id: string) => string;
  /** A release process started: its pid and port are on the record now. */
  onStart: (rec: ReleaseRecord) => void;
  /** A release process ended; `requested` is false when it was not asked to stop (a crash). */
  onExit: (rec: ReleaseRecord, exit: ShellExit, requested: boolean, port: number | undefined) => void;
}

export class ReleaseProcesses {
  private readonly running = new Map<string, Running>();
  private readonly logs = new Map<string, ReleaseLog>();
  /** Between SIGTERM and SIGKILL; the latest request's setting. */
  stopTimeoutMs = 5000;

  constructor(private readonly options: ReleaseProcessesOptions) {}

  has(id: string): boolean {
    return this.running.has(id);
  }

  isStopping(id: string): boolean {
    return this.running.get(id)?.stopping ?? false;
  }

  portOf(id: string): number | undefined {
    return this.running.get(id)?.port;
  }

  /** Resolves once a stopping release is gone. */
  async settled(id: string): Promise<void> {
    await this.running.get(id)?.proc.exited;
  }

  /** Starts the release's command with PORT, APP_VERSION and its env, and waits until it is ready or fails. */
  async start(
    rec: ReleaseRecord,
    env: Record<string, string>,
    readyTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<ReadyResult> {
    const port = rec.readiness.kind === 'running' ? undefined : await findFreePort();
    const log = this.logFor(rec.id);
    log.add('deploy', `starting \`${rec.command}\`${port === undefined ? '' : ` on port ${port}`}`);
    const proc = startShell(rec.command, {
      cwd: rec.cwd,
      env: {
        ...env,
        ...rec.releaseEnv,
        APP_VERSION: rec.version ?? rec.id,
        OPSBOOK_RELEASE_ID: rec.id,
        ...(port === undefined ? {} : { PORT: String(port) }),
      },
      onLine: (_stream, text) => log.add('runtime', text),
    });
    const running: Running = { proc, port, stopping: false };
    this.running.set(rec.id, running);
    Object.assign(rec, { pid: proc.pid, port });
    this.options.onStart(rec);
    void proc.exited.then((exit) => {
      if (this.running.get(rec.id) === running) this.running.delete(rec.id);
      if (rec.pid === proc.pid) {
        delete rec.pid;
        delete rec.port;
      }
      log.add('deploy', `${running.stopping ? 'stopped' : 'exited'}: ${describeExit(exit)}`);
      this.options.onExit(rec, exit, running.stopping, port);
    });
    const started = Date.now();
    const ready = await waitForReady({
      readiness: rec.readiness,
      port,
      timeoutMs: readyTimeoutMs,
      signal,
      exit: () => proc.exit,
    });
    log.add(
      'deploy',
      ready.ready ? `ready after ${Date.now() - started} ms (${ready.detail})` : `not ready: ${ready.detail}`,
    );
    return ready;
  }

  async stop(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    running.stopping = true;
    await running.proc.stop(this.stopTimeoutMs);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  /** Why a release did not become ready, with the last lines it printed. */
  notReadyReason(id: string, ready: ReadyResult, readyTimeoutMs: number): string {
    const head = ready.exited
      ? `${ready.detail} before it was ready`
      : `not ready within ${readyTimeoutMs} ms (${ready.detail})`;
    return this.withOutput(id, head);
  }

  withOutput(id: string, text: string): string {
    const tail = this.logs.get(id)?.tail(TAIL_LINES) ?? [];
    return tail.length ? `${text}; last output:\n${tail.join('\n')}` : text;
  }

  note(id: string, text: string): void {
    this.logs.get(id)?.add('deploy', text);
  }

  logsAfter(id: string, cursor: number): { lines: LogLine[]; cursor: string } {
    return this.logs.get(id)?.after(cursor) ?? { lines: [], cursor: String(cursor) };
  }

  logFor(id: string, secrets: string[] = []): ReleaseLog {
    let log = this.logs.get(id);
    if (log) {
      log.addSecrets(secrets);
      return log;
    }
    log = new ReleaseLog(this.options.logPath(id), secrets);
    this.logs.set(id, log);
    for (const [old, oldLog] of this.logs) {
      if (this.logs.size <= MAX_LOGS) break;
      if (this.running.has(old)) continue;
      oldLog.close();
      this.logs.delete(old);
    }
    return log;
  }

  closeLogs(): void {
    for (const log of this.logs.values()) log.close();
  }
}
