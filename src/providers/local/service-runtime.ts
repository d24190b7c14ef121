/**
 * One service inside the supervisor: which release serves, and the blue/green moves between releases. Start the
 * new release beside the live one, wait for readiness, switch the proxy, keep the last `keep` releases warm for an
 * instant rollback, drain and stop the older ones. One deploy or rollback at a time.
 */
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { describeExit, type ShellExit, signalGroup } from '../../shell/index.js';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import type { LogLine, ProviderDeploy } from '../types.js';
import type { deployBodySchema, ReleaseRecord, rollbackBodySchema, ServiceSpec } from './protocol.js';
import { type ReverseProxy, startProxy } from './proxy.js';
import { ReleaseProcesses } from './release-processes.js';
import { runtimePaths, type ServiceState } from './runtime-files.js';

type DeployBody = z.output<typeof deployBodySchema>;
type RollbackBody = z.output<typeof rollbackBodySchema>;

/** An answer the control API gives as an HTTP status (404 unknown id, 409 busy...). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const MAX_RECORDS = 50;
const now = () => new Date().toISOString();

/** Stops release processes a previous supervisor left behind and marks them stopped. True if anything changed. */
export function reclaimReleases(state: ServiceState, why: string): boolean {
  let changed = false;
  for (const rec of state.releases) {
    if (rec.pid !== undefined && signalGroup(rec.pid, 'SIGTERM')) {
      const pid = rec.pid;
      setTimeout(() => signalGroup(pid, 'SIGKILL'), 3000).unref();
    }
    if (rec.pid !== undefined || rec.state === 'live' || rec.state === 'deploying') changed = true;
    delete rec.pid;
    delete rec.port;
    if (rec.state === 'live') Object.assign(rec, { state: 'superseded', replacedAt: now(), reason: why });
    if (rec.state === 'deploying') Object.assign(rec, { state: 'failed', finishedAt: now(), reason: why });
  }
  return changed;
}

export class ServiceRuntime {
  private proxy: ReverseProxy | undefined;
  private readonly processes: ReleaseProcesses;
  private busy: { id: string; abort: AbortController } | undefined;
  /** Callers of `waitWhile`, told after every change of the state (each goes through `save`). */
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: string,
    private readonly stackDir: string,
    private readonly state: ServiceState = { seq: 0, releases: [] },
  ) {
    ensurePrivateDir(runtimePaths(stackDir).serviceDir(name));
    this.processes = new ReleaseProcesses({
      logPath: (id) => runtimePaths(stackDir).releaseLog(name, id),
      onStart: () => this.save(),
      onExit: (rec, exit, requested, port) => this.onExit(rec, exit, requested, port),
    });
  }

  deploy(body: DeployBody): ReleaseRecord {
    this.refuseIfBusy();
    const seq = ++this.state.seq;
    const rec: ReleaseRecord = {
      id: `rel-${seq}-${randomBytes(3).toString('hex')}`,
      seq,
      state: 'deploying',
      ...(body.version ? { version: body.version } : {}),
      ...(body.commit ? { commit: body.commit } : {}),
      trigger: 'api',
      createdAt: now(),
      command: body.command,
      cwd: body.cwd,
      readiness: body.readiness,
      releaseEnv: body.releaseEnv,
      wasLive: false,
    };
    this.state.releases.unshift(rec);
    this.prune();
    this.save();
    const abort = new AbortController();
    this.busy = { id: rec.id, abort };
    this.processes.stopTimeoutMs = body.service.stopTimeoutMs;
    this.processes.logFor(rec.id, body.secrets);
    void this.runDeploy(rec, body, abort.signal).finally(() => {
      if (this.busy?.id === rec.id) this.busy = undefined;
    });
    return rec;
  }

  private async runDeploy(rec: ReleaseRecord, body: DeployBody, signal: AbortSignal): Promise<void> {
    try {
      if (body.service.proxyPort !== null) await this.ensureProxy(body.service.proxyPort);
      const ready = await this.processes.start(rec, body.env, body.service.readyTimeoutMs, signal);
      if (!ready.ready) {
        await this.processes.stop(rec.id);
        return this.finish(
          rec,
          'failed',
          this.processes.notReadyReason(rec.id, ready, body.service.readyTimeoutMs),
        );
      }
      this.promote(rec, body.service);
    } catch (error) {
      await this.processes.stop(rec.id);
      if (signal.aborted) this.finish(rec, 'canceled', 'canceled before it went live');
      else this.finish(rec, 'failed', (error as Error).message);
    }
  }

  async rollback(body: RollbackBody): Promise<ReleaseRecord> {
    this.refuseIfBusy();
    const target = this.find(body.targetId);
    if (!target.wasLive) {
      throw new ControlError(400, `release ${target.id} never served traffic, so it is no rollback target`);
    }
    const warm = this.processes.has(target.id) && !this.processes.isStopping(target.id);
    if (target.state === 'live' && warm) return target;
    const abort = new AbortController();
    this.busy = { id: target.id, abort };
    this.processes.stopTimeoutMs = body.service.stopTimeoutMs;
    try {
      if (body.service.proxyPort !== null) await this.ensureProxy(body.service.proxyPort);
      // A release on its way out (drained, SIGTERM sent) cannot be brought back: start it afresh.
      if (this.processes.isStopping(target.id)) await this.processes.settled(target.id);
      if (!this.processes.has(target.id)) {
        this.processes.logFor(target.id, body.secrets).add('deploy', 'starting again for a rollback');
        const ready = await this.processes.start(target, body.env, body.service.readyTimeoutMs, abort.signal);
        if (!ready.ready) {
          await this.processes.stop(target.id);
          target.reason = `restart for a rollback failed: ${this.processes.notReadyReason(target.id, ready, body.service.readyTimeoutMs)}`;
          this.save();
          throw new ControlError(502, `rollback to ${target.id} failed: ${target.reason}`);
        }
      }
      // The release rolled back from is the bad one: it stops (after draining) instead of staying warm as a standby,
      // and its record stays as a stopped artefact for forensics.
      const bad = this.state.releases.find((r) => r.state === 'live' && r !== target);
      this.promote(target, body.service, bad);
      if (bad) {
        bad.reason = `rolled back to ${target.id}`;
        this.save();
      }
      return target;
    } finally {
      this.busy = undefined;
    }
  }

  cancel(id: string): ReleaseRecord {
    const rec = this.find(id);
    if (this.busy?.id === id && rec.state === 'deploying') this.busy.abort.abort();
    return rec;
  }

  get(id: string): ProviderDeploy {
    return this.view(this.find(id));
  }

  /**
   * The release as soon as it is no longer in `state`, or after `maxMs`: the provider's watch is told of a release
   * going live or failing when it happens instead of at its next poll.
   */
  async waitWhile(id: string, state: ReleaseRecord['state'], maxMs: number): Promise<ProviderDeploy> {
    const rec = this.find(id);
    if (rec.state === state && maxMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          if (rec.state === state) return;
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(() => {
          this.waiters.delete(done);
          resolve();
        }, maxMs);
        this.waiters.add(done);
      });
    }
    return this.view(rec);
  }

  list(limit: number): ProviderDeploy[] {
    return [...this.state.releases]
      .sort((a, b) => b.seq - a.seq)
      .slice(0, limit)
      .map((r) => this.view(r));
  }

  logsAfter(id: string, cursor: number): { lines: LogLine[]; cursor: string } {
    this.find(id);
    return this.processes.logsAfter(id, cursor);
  }

  view(rec: ReleaseRecord): ProviderDeploy {
    const live = rec.state === 'live' && this.proxy;
    const url = live
      ? `http://127.0.0.1:${this.proxy?.port}`
      : rec.port !== undefined
        ? `http://127.0.0.1:${rec.port}`
        : undefined;
    const { id, state, commit, trigger, createdAt, finishedAt, reason, version } = rec;
    return { id, state, commit, trigger, createdAt, finishedAt, url, reason, version };
  }

  /** Stops every release and the proxy; the last live release is recorded as stopped with the runtime. */
  async shutdown(): Promise<void> {
    this.busy?.abort.abort();
    await this.processes.stopAll();
    reclaimReleases(this.state, 'stopped with the local runtime');
    await this.proxy?.close();
    this.proxy = undefined;
    this.processes.closeLogs();
    this.save();
  }

  private onExit(rec: ReleaseRecord, exit: ShellExit, requested: boolean, port: number | undefined): void {
    if (port !== undefined && this.proxy?.target !== port) this.proxy?.forget(port);
    if (!requested && rec.state === 'live') {
      rec.state = 'failed';
      rec.reason = this.processes.withOutput(rec.id, `${describeExit(exit)} while serving traffic`);
    }
    this.save();
  }

  private promote(rec: ReleaseRecord, spec: ServiceSpec, rolledBackFrom?: ReleaseRecord): void {
    const previous = this.state.releases.find((r) => r.state === 'live' && r !== rec);
    const port = this.processes.portOf(rec.id);
    if (this.proxy && port !== undefined) this.proxy.switchTo(port);
    const at = now();
    Object.assign(rec, { state: 'live', wasLive: true, finishedAt: rec.finishedAt ?? at });
    delete rec.reason;
    if (previous) Object.assign(previous, { state: 'superseded', replacedAt: at });
    this.save();
    this.processes.note(rec.id, previous ? `serving traffic in place of ${previous.id}` : 'serving traffic');
    void this.retire(spec, rolledBackFrom);
  }

  /**
   * Keeps the most recently replaced releases warm (none for a worker: two would both work the queue); a release
   * rolled back from is never kept.
   */
  private async retire(spec: ServiceSpec, rolledBackFrom?: ReleaseRecord): Promise<void> {
    const keep = this.proxy ? spec.keep : 0;
    const standby = this.state.releases
      .filter((r) => r.state !== 'live' && r.id !== this.busy?.id && this.processes.has(r.id))
      .sort((a, b) => (b.replacedAt ?? '').localeCompare(a.replacedAt ?? ''));
    const kept = standby.filter((r) => r !== rolledBackFrom).slice(0, keep);
    await Promise.all(
      standby
        .filter((r) => !kept.includes(r))
        .map(async (r) => {
          const port = this.processes.portOf(r.id);
          if (port !== undefined && this.proxy) {
            const idle = await this.proxy.waitIdle(port, spec.drainTimeoutMs);
            this.processes.note(
              r.id,
              idle ? 'drained' : `still busy after the ${spec.drainTimeoutMs} ms drain timeout`,
            );
          }
          // A rollback may have brought it back while it drained.
          if (r.state !== 'live' && r.id !== this.busy?.id) await this.processes.stop(r.id);
        }),
    );
  }

  private finish(rec: ReleaseRecord, state: 'failed' | 'canceled', reason: string): void {
    Object.assign(rec, { state, reason, finishedAt: now() });
    this.processes.note(rec.id, `${state}: ${reason.split('\n')[0]}`);
    this.save();
  }

  private async ensureProxy(port: number): Promise<void> {
    if (this.proxy) return;
    const wanted = port || this.state.proxyPort || 0;
    try {
      this.proxy = await startProxy(wanted);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      // A port picked earlier (port 0) that someone took meanwhile: any other will do.
      if (!port && wanted) this.proxy = await startProxy(0);
      else {
        throw new Error(
          `the proxy cannot listen on 127.0.0.1:${wanted} (${code}); stop what holds the port or change provider.port`,
        );
      }
    }
    this.state.proxyPort = this.proxy.port;
    this.save();
  }

  private refuseIfBusy(): void {
    if (this.busy) {
      throw new ControlError(
        409,
        `a deploy or rollback of ${this.name} is already in progress (${this.busy.id})`,
        'wait for it to finish, or cancel it',
      );
    }
  }

  private find(id: string): ReleaseRecord {
    const rec = this.state.releases.find((r) => r.id === id);
    if (!rec)
      throw new ControlError(404, `no release ${id} of ${this.name}`, 'list the releases with listDeploys');
    return rec;
  }

  private prune(): void {
    while (this.state.releases.length > MAX_RECORDS) {
      const i = this.state.releases.findLastIndex((r) => !this.processes.has(r.id) && r.state !== 'live');
      if (i < 0) break;
      this.state.releases.splice(i, 1);
    }
  }

  private save(): void {
    writePrivateFile(
      runtimePaths(this.stackDir).state(this.name),
      `${JSON.stringify(this.state, null, 2)}\n`,
    );
    for (const waiter of [...this.waiters]) waiter();
  }
}
