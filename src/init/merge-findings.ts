/** Merges the detectors' findings into one picture: services de-duplicated, env files attached, one migrations section. */
import type { Diagnostic } from '../diagnostics/index.js';
import { nameForDir, toId } from './names.js';
import type { DetectedEnvFile, DetectedMigrations, DetectedService, Detection, Finding } from './types.js';

const DEPLOYABLE = new Set(['web', 'worker', 'cron', 'static']);
const isDeployable = (s: DetectedService) => DEPLOYABLE.has(s.kind);
const ENGINE_PRIORITY = [
  'prisma',
  'supabase',
  'alembic',
  'django',
  'rails',
  'ecto',
  'drizzle',
  'knex',
  'node-pg-migrate',
  'sql',
];
const MIGRATION_COMMAND = /migrat|upgrade|db push/i;

function uniqueName(services: DetectedService[], name: string, suffix: string): string {
  let id = name;
  for (let i = 2; services.some((s) => s.name === id); i++)
    id = i === 2 ? `${name}-${suffix}` : `${name}-${suffix}${i}`;
  return id;
}

/** Fills the fields `target` lacks from `from`. */
function fill(target: DetectedService, from: DetectedService): void {
  const t = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(from))
    if (t[key] === undefined && !['fallback', 'source', 'name'].includes(key)) t[key] = value;
  for (const v of from.env) if (!target.env.some((e) => e.name === v.name)) target.env.push({ ...v });
}

/** A weak guess fills in a service of its kind at its root, is dropped where a platform file already said what runs, or is added. */
function addService(services: DetectedService[], service: DetectedService): void {
  if (service.fallback) {
    const atRoot = services.filter((s) => s.root === service.root && isDeployable(s));
    const sameKind = atRoot.find((s) => s.kind === service.kind && (s.name === service.name || !s.fallback));
    if (sameKind) {
      fill(sameKind, service);
      return;
    }
    if (atRoot.some((s) => !s.fallback)) return;
  }
  services.push({ ...service, name: uniqueName(services, service.name, service.platform ?? service.kind) });
}

function attachEnv(services: DetectedService[], file: DetectedEnvFile, diagnostics: Diagnostic[]): void {
  let targets = services.filter((s) => isDeployable(s) && s.root === file.root);
  if (!targets.length && file.root === '')
    targets = services.filter((s) => isDeployable(s) && s.kind !== 'static');
  if (!targets.length) {
    const name = uniqueName(services, nameForDir(file.root, 'app'), 'app');
    const service: DetectedService = {
      name,
      kind: 'web',
      source: file.source,
      root: file.root,
      dependsOn: [],
      env: [],
    };
    services.push(service);
    targets = [service];
    diagnostics.push({
      severity: 'info',
      code: 'init/assumed-service',
      message: `${file.source} belongs to no detected service: assumed a web service '${name}'`,
      hint: `check its kind in services.${name}`,
      location: { file: file.source },
    });
  }
  for (const target of targets)
    for (const v of file.vars) {
      const existing = target.env.find((e) => e.name === v.name);
      if (!existing) target.env.push({ ...v });
      else if (!existing.description && v.description) existing.description = v.description;
    }
}

function pickMigrations(
  found: DetectedMigrations[],
  releases: { command: string; source: string }[],
  services: DetectedService[],
  diagnostics: Diagnostic[],
): (DetectedMigrations & { databaseService: string }) | undefined {
  const sorted = [...found].sort(
    (a, b) => ENGINE_PRIORITY.indexOf(a.engine) - ENGINE_PRIORITY.indexOf(b.engine),
  );
  const [chosen, ...others] = sorted;
  for (const other of others)
    diagnostics.push({
      severity: 'info',
      code: 'init/more-migrations',
      message: `${other.engine} migrations in ${other.dir} were not added: opsbook.yaml holds one migrations section (${chosen!.dir})`,
      location: { file: other.source },
    });
  if (!chosen) return undefined;
  const release = releases.find((r) => MIGRATION_COMMAND.test(r.command));
  if (release && !chosen.command && chosen.engine !== 'sql' && chosen.engine !== 'supabase')
    chosen.command = release.command;
  let database = services.find((s) => s.kind === 'database');
  if (!database) {
    database = {
      name: uniqueName(services, 'db', 'database'),
      kind: 'database',
      source: chosen.source,
      root: '',
      ...(chosen.engine === 'supabase' ? { platform: 'supabase' as const } : {}),
      ...(chosen.database ? { engine: { name: chosen.database } } : {}),
      dependsOn: [],
      env: [],
    };
    services.push(database);
    const users = services.filter(
      (s) => isDeployable(s) && s.kind !== 'static' && (!chosen.root || s.root === chosen.root),
    );
    for (const s of users) s.dependsOn.push(database.name);
  }
  return { ...chosen, databaseService: database.name };
}

/** Drops dependencies on unknown services and those that would close a cycle (the config rejects cycles). */
function pruneDependencies(services: DetectedService[]): void {
  const names = new Set(services.map((s) => s.name));
  const edges = new Map<string, string[]>();
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return (edges.get(from) ?? []).some((n) => reaches(n, to, seen));
  };
  for (const s of services) {
    const kept: string[] = [];
    edges.set(s.name, kept);
    for (const dep of new Set(s.dependsOn)) if (names.has(dep) && !reaches(dep, s.name)) kept.push(dep);
    s.dependsOn = kept;
  }
}

export function mergeFindings(findings: Finding[], fallbackName: string): Detection {
  const services: DetectedService[] = [];
  const diagnostics = findings.flatMap((f) => f.diagnostics ?? []);
  for (const service of findings.flatMap((f) => f.services ?? [])) addService(services, service);
  for (const file of findings.flatMap((f) => f.envFiles ?? [])) attachEnv(services, file, diagnostics);
  const releases = findings.flatMap((f) => f.releaseCommands ?? []);
  const migrations = pickMigrations(
    findings.flatMap((f) => f.migrations ?? []),
    releases,
    services,
    diagnostics,
  );
  if (!services.some(isDeployable)) {
    services.unshift({
      name: uniqueName(services, 'app', 'web'),
      kind: 'web',
      source: '',
      root: '',
      dependsOn: [],
      env: [],
    });
    diagnostics.push({
      severity: 'info',
      code: 'init/assumed-service',
      message: "no deployable service was detected: wrote a placeholder web service 'app'",
      hint: 'describe what runs under services.app (kind, platform, provider, health)',
    });
  }
  pruneDependencies(services);
  const gates = new Map<string, Detection['gates'][number]>();
  for (const gate of findings.flatMap((f) => f.gates ?? []))
    if (!gates.has(gate.id)) gates.set(gate.id, gate);
  return {
    name: toId(findings.find((f) => f.name)?.name ?? fallbackName, 'app'),
    sources: [...new Set(findings.flatMap((f) => f.sources ?? []))],
    services,
    gates: [...gates.values()],
    ...(migrations ? { migrations } : {}),
    ...(findings.find((f) => f.branch)?.branch ? { branch: findings.find((f) => f.branch)!.branch } : {}),
    deploysOnPush: findings.some((f) => f.deploysOnPush),
    ...(findings.find((f) => f.lockfile) ? { lockfile: findings.find((f) => f.lockfile)!.lockfile } : {}),
    diagnostics,
  };
}
