// Where the local runtime keeps its files under <stack>/.opsbook/local, and reading them back.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJsonFile } from '../private-files.js';
import type { ReleaseRecord, SupervisorInfo } from './protocol.js';

export function runtimeDir(stackDir: string): string {
  return join(resolve(stackDir), '.opsbook', 'local');
}

export const runtimePaths = (stackDir: string) => {
  const root = runtimeDir(stackDir);
  return {
    root,
    info: join(root, 'supervisor.json'),
    lock: join(root, 'supervisor.lock'),
    log: join(root, 'supervisor.log'),
    serviceDir: (service: string) => join(root, service),
    state: (service: string) => join(root, service, 'state.json'),
    releaseLog: (service: string, id: string) => join(root, service, 'releases', `${id}.log`),
  };
};

export function readSupervisorInfo(stackDir: string): SupervisorInfo | undefined {
  return readJsonFile<SupervisorInfo>(runtimePaths(stackDir).info);
}

export interface ServiceState {
  seq: number;
  /** The proxy's port once chosen, so it survives a supervisor restart. */
  proxyPort?: number;
  releases: ReleaseRecord[];
}

export function readServiceStates(stackDir: string): Map<string, ServiceState> {
  const paths = runtimePaths(stackDir);
  const states = new Map<string, ServiceState>();
  let names: string[] = [];
  try {
    names = readdirSync(paths.root, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return states;
  }
  for (const name of names) {
    const state = readJsonFile<ServiceState>(paths.state(name));
    if (state) states.set(name, state);
  }
  return states;
}

/** True when `pid` runs, and (where /proc tells) runs our supervisor rather than a process that reused the pid. */
export function isSupervisorProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('supervisor-main');
  } catch {
    return true;
  }
}
