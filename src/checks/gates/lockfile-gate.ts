/**
 * The `lockfile` gate: every lock file agrees with its manifest, checked without installing anything
 * (npm writes the manifest's ranges verbatim into the lock; pnpm records each importer's specifiers).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Gate } from '../../config/index.js';
import type { GateContext, GateOutcome } from './types.js';

type Deps = Record<string, string>;
const SECTIONS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

function manifestDeps(pkg: Record<string, unknown>): Deps {
  return Object.assign({}, ...SECTIONS.map((s) => (pkg[s] as Deps | undefined) ?? {}));
}

function compare(where: string, wanted: Deps, locked: Deps, lockName: string): string[] {
  const problems: string[] = [];
  for (const [name, range] of Object.entries(wanted)) {
    if (!(name in locked))
      problems.push(`${where}: ${name}@${range} is in package.json but not in ${lockName}`);
    else if (locked[name] !== range)
      problems.push(`${where}: ${name} is ${range} in package.json but ${locked[name]} in ${lockName}`);
  }
  for (const name of Object.keys(locked))
    if (!(name in wanted)) problems.push(`${where}: ${name} is in ${lockName} but no longer in package.json`);
  return problems;
}

/** A manifest or lock that does not parse: the gate's problem to report (which file, why), not a crash. */
class Unreadable extends Error {}

async function parseFile<T>(
  dir: string,
  shown: string,
  name: string,
  parse: (text: string) => unknown,
): Promise<T> {
  let value: unknown;
  try {
    value = parse(await readFile(join(dir, name), 'utf8'));
  } catch (error) {
    throw new Unreadable(`${shown}/${name} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Unreadable(`${shown}/${name} cannot be read: it holds no object`);
  return value as T;
}

async function checkNode(dir: string, shown: string): Promise<{ lock?: string; problems: string[] }> {
  const pkg = await parseFile<Record<string, unknown>>(dir, shown, 'package.json', JSON.parse);
  const wanted = manifestDeps(pkg);
  if (existsSync(join(dir, 'package-lock.json'))) {
    const lock = await parseFile<{ packages?: Record<string, unknown> }>(
      dir,
      shown,
      'package-lock.json',
      JSON.parse,
    );
    const root = (lock.packages?.[''] ?? {}) as Record<string, unknown>;
    return {
      lock: 'package-lock.json',
      problems: compare(shown, wanted, manifestDeps(root), 'package-lock.json'),
    };
  }
  if (existsSync(join(dir, 'pnpm-lock.yaml'))) {
    const lock = await parseFile<{ importers?: Record<string, Record<string, unknown>> }>(
      dir,
      shown,
      'pnpm-lock.yaml',
      parseYaml,
    );
    const importer = (lock.importers?.['.'] ?? lock) as Record<string, unknown>;
    const locked: Deps = {};
    for (const s of SECTIONS)
      for (const [n, v] of Object.entries(
        (importer[s] ?? {}) as Record<string, { specifier?: string } | string>,
      ))
        locked[n] = typeof v === 'string' ? v : (v.specifier ?? '');
    return { lock: 'pnpm-lock.yaml', problems: compare(shown, wanted, locked, 'pnpm-lock.yaml') };
  }
  if (existsSync(join(dir, 'yarn.lock'))) {
    const text = await readFile(join(dir, 'yarn.lock'), 'utf8');
    const problems = Object.entries(wanted)
      .filter(
        ([n, r]) =>
          !text.includes(`${n}@${r}`) && !text.includes(`"${n}@${r}`) && !text.includes(`${n}@npm:${r}`),
      )
      .map(([n, r]) => `${shown}: ${n}@${r} has no entry in yarn.lock`);
    return { lock: 'yarn.lock', problems };
  }
  return Object.keys(wanted).length
    ? {
        problems: [
          `${shown}: package.json has dependencies but no lock file: run npm install and commit package-lock.json`,
        ],
      }
    : { problems: [] };
}

/** requirements.txt pins against a frozen lock (kamiyo's `pip freeze > requirements.txt.lock; diff`). */
async function checkPython(dir: string, shown: string): Promise<{ lock?: string; problems: string[] }> {
  const lockName = ['requirements.txt.lock', 'requirements.lock', 'requirements-lock.txt'].find((f) =>
    existsSync(join(dir, f)),
  );
  if (!lockName) return { problems: [] };
  const read = async (f: string) => {
    const pins = new Map<string, string>();
    for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) {
      const m = /^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)/.exec(line);
      if (m) pins.set(m[1]!.toLowerCase().replace(/_/g, '-'), m[2]!);
    }
    return pins;
  };
  const wanted = await read('requirements.txt');
  const locked = await read(lockName);
  const problems: string[] = [];
  for (const [n, v] of wanted) {
    const l = locked.get(n);
    if (l === undefined) problems.push(`${shown}: ${n}==${v} is not in ${lockName}`);
    else if (l !== v) problems.push(`${shown}: ${n} is ${v} in requirements.txt but ${l} in ${lockName}`);
  }
  return { lock: lockName, problems };
}

export async function runLockfileGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  // cwd names the one folder to check (a package of a monorepo); else the project and every service's root.
  const dirs = new Set<string>(gate.cwd ? [resolve(ctx.cwd, gate.cwd)] : [ctx.cwd]);
  if (!gate.cwd)
    for (const svc of Object.values(ctx.config.services)) if (svc.root) dirs.add(resolve(ctx.cwd, svc.root));
  const checked: string[] = [];
  const problems: string[] = [];
  let manifests = 0;
  for (const dir of dirs) {
    const shown = relative(ctx.cwd, dir) || '.';
    if (existsSync(join(dir, 'package.json'))) manifests++;
    if (existsSync(join(dir, 'requirements.txt'))) manifests++;
    if (existsSync(join(dir, 'package.json'))) {
      const r = await checkNode(dir, shown).catch((error: unknown) => {
        if (error instanceof Unreadable) return { lock: undefined, problems: [error.message] };
        throw error;
      });
      if (r.lock) checked.push(`${shown}/${r.lock}`);
      problems.push(...r.problems);
    }
    if (existsSync(join(dir, 'requirements.txt'))) {
      const r = await checkPython(dir, shown);
      if (r.lock) checked.push(`${shown}/${r.lock}`);
      problems.push(...r.problems);
    }
  }
  const evidence = { checked: checked.join(', ') || null, problems: problems.length };
  // No manifest anywhere: the gate looked in the wrong place (or the project moved), which is not "in sync".
  if (!manifests) {
    const looked = [...dirs].map((d) => relative(ctx.cwd, d) || '.').join(', ');
    return {
      status: 'failed',
      summary: `nothing to check: no package.json or requirements.txt in ${looked}`,
      evidence,
      diagnostics: [
        {
          severity: 'error',
          code: 'gate/lockfile-nothing-checked',
          message: `the lockfile gate '${gate.id}' found no package.json or requirements.txt in ${looked}`,
          hint: "point it at the folder with the manifest (the gate's cwd, or the service's root), or remove the gate",
        },
      ],
    };
  }
  if (problems.length)
    return {
      status: 'failed',
      summary: `${problems.length} lock file problem(s): ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`,
      evidence,
      diagnostics: problems.map((message) => ({
        severity: 'error' as const,
        code: 'gate/lockfile',
        message,
        hint: 'run the package manager install and commit the lock file',
      })),
    };
  return {
    status: 'passed',
    summary: checked.length ? `in sync: ${checked.join(', ')}` : 'no dependencies to lock',
    evidence,
  };
}
