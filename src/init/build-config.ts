/** The starter config as plain data: what was detected, plus the checklist and channel every stack starts with. */
import type { DetectedEnvVar, DetectedService, Detection } from './types.js';

type Data = Record<string, unknown>;

function envEntry(v: DetectedEnvVar): Data {
  return {
    ...(v.description ? { description: v.description } : {}),
    ...(v.required ? {} : { required: false }),
    ...(v.secret ? { secret: true } : {}),
    ...(v.default !== undefined ? { default: v.default } : {}),
    ...(v.example !== undefined ? { example: v.example } : {}),
    ...(v.from ? { from: v.from } : {}),
    ...(v.url ? { url: true } : {}),
    ...(v.format ? { format: v.format } : {}),
  };
}

function serviceEntry(s: DetectedService): Data {
  return {
    kind: s.kind,
    ...(s.platform ? { platform: s.platform } : {}),
    ...(s.provider ? { provider: s.provider } : {}),
    ...(s.engine ? { engine: s.engine } : {}),
    ...(s.root ? { root: s.root } : {}),
    ...(s.runtime ? { runtime: s.runtime } : {}),
    ...(s.build ? { build: s.build } : {}),
    ...(s.start ? { start: s.start } : {}),
    ...(s.schedule ? { schedule: s.schedule } : {}),
    ...(s.replicas !== undefined ? { replicas: s.replicas } : {}),
    ...(s.url ? { urls: { production: s.url } } : {}),
    ...(s.dependsOn.length ? { dependsOn: s.dependsOn } : {}),
    ...(s.health ? { health: [{ type: s.health.type, path: s.health.path }] } : {}),
    ...(s.env.length ? { env: Object.fromEntries(s.env.map((v) => [v.name, envEntry(v)])) } : {}),
  };
}

function gates(d: Detection): Data[] {
  return [
    { id: 'git', name: 'Working tree committed', builtin: 'git', required: false },
    { id: 'secrets', name: 'No secrets committed', builtin: 'secrets' },
    ...(d.lockfile ? [{ id: 'lockfile', name: 'Lockfile in sync', builtin: 'lockfile' }] : []),
    // With no variable detected the contract is empty, and the env gate fails on it: nothing to check yet.
    ...(d.services.some((s) => s.env.length)
      ? [{ id: 'env', name: 'Env contract satisfied', builtin: 'env' }]
      : []),
    ...d.gates.map((g) => ({ id: g.id, name: g.name, run: g.run, ...(g.cwd ? { cwd: g.cwd } : {}) })),
    ...(d.migrations ? [{ id: 'migrations', name: 'Migrations are safe', builtin: 'migrations' }] : []),
  ];
}

export function buildConfig(d: Detection): Data {
  const m = d.migrations;
  const monitored = d.services.filter((s) => s.health);
  return {
    name: d.name,
    environments: {
      production: {
        protected: true,
        ...(d.branch ? { branch: d.branch } : {}),
        ...(d.deploysOnPush ? { autoDeploy: true } : {}),
      },
    },
    services: Object.fromEntries(d.services.map((s) => [s.name, serviceEntry(s)])),
    gates: gates(d),
    ...(m
      ? {
          migrations: {
            database: m.databaseService,
            dir: m.dir,
            engine: m.engine,
            ...(m.command ? { command: m.command } : {}),
            ...(m.urlEnv ? { urlEnv: m.urlEnv } : {}),
          },
        }
      : {}),
    ...(d.deploysOnPush || d.branch
      ? {
          deploy: {
            ...(d.branch ? { branch: d.branch } : {}),
            ...(d.deploysOnPush ? { trigger: 'push' } : {}),
          },
        }
      : {}),
    announcements: { channels: ['console'] },
    channels: { console: { type: 'console' } },
    ...(monitored.length
      ? {
          alerts: monitored.map((s) => ({
            id: `${s.name}-down`,
            service: s.name,
            when: 'consecutive-failures',
            count: 3,
            channels: ['console'],
          })),
        }
      : {}),
  };
}
