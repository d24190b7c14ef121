/** Who is acting: recorded on runs, confirmations and deployments. */
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

export function currentActor(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.OPSBOOK_ACTOR) return env.OPSBOOK_ACTOR;
  try {
    const name = execFileSync('git', ['config', 'user.name'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const email = execFileSync('git', ['config', 'user.email'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (name) return email ? `${name} <${email}>` : name;
  } catch {
    // no git identity: fall back to the login name
  }
  return env.USER ?? env.USERNAME ?? safeUser();
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
