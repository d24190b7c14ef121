/** package.json: test, lint, typecheck and build scripts become command gates; a start script hints at a web service. */
import { packageManager } from './detect-lockfile.js';
import { inDir, obj, readData, str } from './files.js';
import { nameForDir, toId } from './names.js';
import type { DetectedGate, DirContext, Finding } from './types.js';

const GATE_SCRIPTS = [
  { id: 'typecheck', scripts: ['typecheck', 'type-check', 'check-types', 'tsc'], label: 'Types check' },
  { id: 'lint', scripts: ['lint'], label: 'Lint passes' },
  { id: 'test', scripts: ['test'], label: 'Tests pass' },
  { id: 'build', scripts: ['build'], label: 'Build succeeds' },
];

/** The test script `npm init` writes fails on purpose: it is not a test suite. */
const NPM_INIT_TEST = /no test specified/;

export async function detectPackageJson(ctx: DirContext): Promise<Finding> {
  const path = inDir(ctx.dir, 'package.json');
  const parsed = await readData(ctx.repo, path, 'json');
  if (!parsed) return {};
  if (parsed.diagnostic) return { diagnostics: [parsed.diagnostic] };
  const pkg = obj(parsed.data);
  const scripts = obj(pkg.scripts);
  const pm = packageManager(ctx.repo, ctx.dir);
  const prefix = ctx.dir ? `${toId(ctx.dir.replaceAll('/', '-'))}-` : '';
  const gates: DetectedGate[] = [];
  for (const gate of GATE_SCRIPTS) {
    const script = gate.scripts.find((s) => str(scripts[s]) && !NPM_INIT_TEST.test(String(scripts[s])));
    if (!script) continue;
    gates.push({
      id: `${prefix}${gate.id}`,
      name: ctx.dir ? `${gate.label} (${ctx.dir})` : gate.label,
      run: `${pm} run ${script}`,
      ...(ctx.dir ? { cwd: ctx.dir } : {}),
      source: path,
    });
  }
  const node = str(obj(pkg.engines).node);
  const start = str(scripts.start)
    ? [
        {
          name: nameForDir(ctx.dir, 'web'),
          kind: 'web' as const,
          source: path,
          root: ctx.dir,
          start: `${pm} start`,
          ...(node ? { runtime: `node ${node}` } : {}),
          dependsOn: [],
          env: [],
          fallback: true,
        },
      ]
    : [];
  return { sources: [path], name: ctx.dir ? undefined : str(pkg.name), gates, services: start };
}
