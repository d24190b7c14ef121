/** Who is acting: recorded on runs, confirmations and deployments. */
import { execFile, execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';

/** Name and email in one git process (the last value of each wins, as `git config <key>` reads it). */
const IDENTITY = ['config', '--get-regexp', '^user\\.(name|email)$'];

export function currentActor(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPSBOOK_ACTOR) return env.OPSBOOK_ACTOR;
  let identity: string | undefined;
  try {
    identity = execFileSync('git', IDENTITY, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // no git identity: fall back to the login name
  }
  return actorFrom(identity, env);
}

/** `currentActor` without blocking: a command starts it early and awaits it when it needs the name. */
export async function readActor(cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.OPSBOOK_ACTOR) return env.OPSBOOK_ACTOR;
  const identity = await promisify(execFile)('git', IDENTITY, { cwd, encoding: 'utf8' }).then(
    (r) => r.stdout,
    () => undefined,
  );
  return actorFrom(identity, env);
}

/** Both name and email configured: "name <email>" (the name alone for an empty email); else the login name. */
function actorFrom(identity: string | undefined, env: NodeJS.ProcessEnv): string {
  const values = new Map<string, string>();
  for (const line of identity?.split('\n') ?? []) {
    const space = line.indexOf(' ');
    if (space > 0) values.set(line.slice(0, space), line.slice(space + 1).trim());
  }
  const name = values.get('user.name');
  const email = values.get('user.email');
  if (name && email !== undefined) return email ? `${name} <${email}>` : name;
  return env.USER ?? env.USERNAME ?? safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
