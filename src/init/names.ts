/** Turning platform names into opsbook ids (letters, digits, - and _, starting with a letter). */

export function toId(name: string, fallback = 'app'): string {
  const cleaned = name
    .trim()
    .replace(/^@[^/]+\//, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z]+/, '')
    .replace(/-+$/, '');
  return cleaned || fallback;
}

/** The service name for a directory: its last path segment, or `fallback` at the repository root. */
export function nameForDir(dir: string, fallback: string): string {
  return dir ? toId(dir.split('/').at(-1) ?? dir, fallback) : fallback;
}

/** Process names and commands that mean a background worker rather than a web server. */
export function isWorkerLike(text: string): boolean {
  return /worker|queue|jobs?\b|celery|sidekiq|rq\b|dramatiq|bull|consumer|scheduler|clock/i.test(text);
}
