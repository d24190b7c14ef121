// `npm run demo`: the whole story on embedded defaults, in a scratch copy of examples/demo:
// validate and check the stack, deploy v1 with the local blue/green provider and verify it, then deploy a v2
// that carries a real bug while a load generator sends traffic: verification fails, opsbook rolls back on its
// own, and the load generator counts the requests that failed during both cutovers. Exits 0 when it went so.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'opsbook-demo-'));
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (s) => (color ? `\x1b[1m${s}\x1b[0m` : s);
const env = {
  ...process.env,
  OPSBOOK_ACTOR: 'demo <demo@opsbook.dev>',
  GIT_AUTHOR_NAME: 'demo',
  GIT_AUTHOR_EMAIL: 'demo@opsbook.dev',
  GIT_COMMITTER_NAME: 'demo',
  GIT_COMMITTER_EMAIL: 'demo@opsbook.dev',
};

function run(cmd, args, { cwd = work, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: quiet ? 'ignore' : 'inherit' });
    child.on('close', (code) => resolve(code));
  });
}

async function step(title, args, expected = 0) {
  console.log(`\n${bold(`━━ ${title}`)}\n$ opsbook ${args.join(' ')}`);
  const code = await run(process.execPath, [cli, ...args]);
  if (code !== expected) throw new Error(`'opsbook ${args.join(' ')}' exited ${code}, expected ${expected}`);
}

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Steady traffic through the proxy: reads and writes of notes, counting every failed request. */
function startLoad(baseUrl, concurrency = 4) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const stats = { sent: 0, failed: 0, errors: new Map() };
  let running = true;
  const once = (i) =>
    new Promise((resolve) => {
      const write = i % 5 === 0;
      const req = request(
        `${baseUrl}/api/notes`,
        { method: write ? 'POST' : 'GET', agent, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== (write ? 201 : 200)) {
              stats.failed++;
              stats.errors.set(
                `HTTP ${res.statusCode}`,
                (stats.errors.get(`HTTP ${res.statusCode}`) ?? 0) + 1,
              );
            }
            resolve();
          });
        },
      );
      req.on('error', (e) => {
        stats.failed++;
        stats.errors.set(e.code ?? e.message, (stats.errors.get(e.code ?? e.message) ?? 0) + 1);
        resolve();
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end(write ? JSON.stringify({ body: `note ${i} written during the demo` }) : undefined);
    });
  const loops = Array.from({ length: concurrency }, async (_, w) => {
    for (let i = w; running; i += concurrency) {
      stats.sent++;
      await once(i);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

let load;
let ok = false;
try {
  console.log(bold(`opsbook demo in ${work} (a copy of examples/demo)`));
  cpSync(join(root, 'examples', 'demo'), work, {
    recursive: true,
    filter: (src) => !/[/\\](\.data|\.opsbook|node_modules)([/\\]|$)|\.test\.ts$/.test(src),
  });
  // A free port for the proxy, so the demo never collides with something already on 8080.
  const port = await freePort();
  const configPath = join(work, 'opsbook.yaml');
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replaceAll('8080', String(port)));
  writeFileSync(join(work, '.gitignore'), '.opsbook/\n.data/\nnode_modules\n');
  // The demo app's one dependency (its SQLite driver) comes from opsbook's own install.
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  await run('git', ['init', '-q', '-b', 'main'], { quiet: true });
  await run('git', ['add', '-A'], { quiet: true });
  await run('git', ['commit', '-qm', 'v1: notes api and worker'], { quiet: true });
  const baseUrl = `http://127.0.0.1:${port}`;

  await step('1. The stack as written: every problem would be reported with line and column', ['validate']);
  await step('2. The architecture table of the runbook, probed live: nothing is deployed yet', ['status']);
  await step('3. The pre-deploy checklist: gates in parallel, evidence kept', [
    'check',
    '--markdown',
    '.opsbook/checklist.md',
  ]);
  await step('4. The same checklist again on an unchanged tree: replayed from cache', ['check']);
  await step(`5. Deploy v1 with the local provider (blue/green behind a proxy on :${port}) and verify it`, [
    'deploy',
    '--yes',
    '--version',
    'v1',
  ]);

  console.log(
    `\n${bold('━━ 6. A developer ships v2 with a real bug: a typo in the SQL of the deep health check')}`,
  );
  const server = join(work, 'api', 'server.mjs');
  const source = readFileSync(server, 'utf8');
  if (!source.includes("FROM notes'"))
    throw new Error('demo: the query to break is not in api/server.mjs any more');
  writeFileSync(
    server,
    source.replace("SELECT count(*) AS notes FROM notes'", "SELECT count(*) AS notes FROM note'"),
  );
  await run('git', ['commit', '-qam', 'v2: shorter table name in the health query'], { quiet: true });
  console.log(`committed v2; a load generator now sends steady traffic to ${baseUrl}/api/notes`);
  load = startLoad(baseUrl);
  await new Promise((r) => setTimeout(r, 1000));

  await step(
    '7. Deploy v2: verification fails, opsbook rolls back on its own and keeps production locked',
    ['deploy', '--yes', '--version', 'v2'],
    1,
  );
  await new Promise((r) => setTimeout(r, 1000));
  await load.stop();
  const { sent, failed, errors } = load.stats;
  console.log(`\n${bold('━━ 8. The load generator, through both cutovers (v1 → v2 → v1)')}`);
  console.log(
    `requests sent: ${sent}, failed: ${failed}${errors.size ? ` (${[...errors].map(([k, v]) => `${k} ×${v}`).join(', ')})` : ''}`,
  );

  await step('9. The deployment log and delivery metrics', ['log', '--full']);
  await step('10. Status: v1 serves again, healthy, and production stays locked', ['status']);
  await step('11. After the fix, a person unlocks production', ['unlock']);
  ok = failed === 0 && sent > 0;
  console.log(
    `\n${bold(ok ? 'demo done: v1 verified, v2 rolled back automatically, 0 failed requests.' : `demo FAILED: ${failed} request(s) failed during the cutovers`)}`,
  );
} catch (error) {
  console.error(`\ndemo failed: ${error.message}`);
  await load?.stop();
} finally {
  const { stopLocalRuntime } = await import(pathToFileURL(join(root, 'dist', 'providers', 'index.js')).href);
  await stopLocalRuntime(work).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
