// What the command provider remembers of each run of the user's commands: .opsbook/command/<service>/deploys.json,
// plus one JSON-lines log per deploy. Read again on every call, so another opsbook process sees the same history.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, readJsonFile, writePrivateFile } from '../private-files.js';
import type { DeployState, LogLine, ProviderDeploy } from '../types.js';

export interface CommandRecord {
  id: string;
  seq: number;
  state: DeployState;
  /** The command as configured (the deploy or the rollback one). */
  command: string;
  trigger: 'api' | 'rollback';
  version?: string;
  commit?: string;
  createdAt: string;
  finishedAt?: string;
  reason?: string;
  /** The opsbook process that runs the command, and the command's process group. */
  runnerPid?: number;
  pid?: number;
  /** The command exited 0; with a status command, that command now decides. */
  commandDone?: boolean;
  rollbackTo?: string;
}

interface RecordsFile {
  seq: number;
  deploys: CommandRecord[];
}

const MAX_RECORDS = 100;

export function recordsDir(stackDir: string, service: string): string {
  return join(stackDir, '.opsbook', 'command', service);
}

function read(dir: string): RecordsFile {
  return readJsonFile<RecordsFile>(join(dir, 'deploys.json')) ?? { seq: 0, deploys: [] };
}

export function listRecords(dir: string): CommandRecord[] {
  return read(dir).deploys.sort((a, b) => b.seq - a.seq);
}

export function findRecord(dir: string, id: string): CommandRecord | undefined {
  return read(dir).deploys.find((d) => d.id === id);
}

/** Changes the records under one read-modify-write; going live supersedes the deploy that was live. */
export function updateRecords<T>(dir: string, change: (file: RecordsFile) => T): T {
  ensurePrivateDir(dir);
  const file = read(dir);
  const result = change(file);
  const live = file.deploys.filter((d) => d.state === 'live').sort((a, b) => b.seq - a.seq);
  for (const old of live.slice(1)) old.state = 'superseded';
  file.deploys = file.deploys.sort((a, b) => b.seq - a.seq).slice(0, MAX_RECORDS);
  writePrivateFile(join(dir, 'deploys.json'), `${JSON.stringify(file, null, 2)}\n`);
  return result;
}

export function patchRecord(
  dir: string,
  id: string,
  patch: Partial<CommandRecord>,
): CommandRecord | undefined {
  return updateRecords(dir, (file) => {
    const rec = file.deploys.find((d) => d.id === id);
    if (rec) Object.assign(rec, patch);
    return rec;
  });
}

export function appendLog(dir: string, id: string, line: LogLine): void {
  appendFileSync(join(dir, `${id}.log`), `${JSON.stringify(line)}\n`, { mode: 0o600 });
}

/** Lines after the cursor (a line count) and the next cursor. */
export function readLog(dir: string, id: string, cursor: number): { lines: LogLine[]; cursor: string } {
  let text = '';
  try {
    text = readFileSync(join(dir, `${id}.log`), 'utf8');
  } catch {
    return { lines: [], cursor: String(cursor) };
  }
  const all = text.split('\n').filter(Boolean);
  const lines = all.slice(cursor).map((l) => JSON.parse(l) as LogLine);
  return { lines, cursor: String(all.length) };
}

export function tailLog(dir: string, id: string, count: number): string[] {
  return readLog(dir, id, 0)
    .lines.slice(-count)
    .map((l) => l.text);
}

export function toDeploy(rec: CommandRecord): ProviderDeploy {
  const { id, state, commit, trigger, createdAt, finishedAt, reason, version } = rec;
  return { id, state, commit, trigger, createdAt, finishedAt, reason, version };
}
