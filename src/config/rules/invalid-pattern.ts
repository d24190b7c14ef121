/**
 * Every regular expression the config holds compiles: an invalid one would otherwise pass validate and fail at
 * run time, where a health condition that cannot match rolls back a healthy release.
 */
import type { ConfigPath } from '../locate.js';
import { arr, entries, obj } from '../raw.js';
import { defineRule } from './rule.js';
import { envVariables, healthEndpoints } from './walk.js';

const LOG_SIGNALS = ['success', 'trouble'] as const;

/** The error V8 gives for `source` with `flags`, or undefined when it compiles. */
function regexError(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '');
  }
}

/**
 * A log signal's regular expression as `compilePattern` (logs/match.ts) reads it: a string between slashes,
 * with optional flags, or `{ pattern, regex: true }` whose pattern may itself be written between slashes.
 */
export function logSignalRegex(p: unknown): { source: string; flags: string } | undefined {
  const item = obj(p);
  const text = typeof p === 'string' ? p : typeof item.pattern === 'string' ? item.pattern : undefined;
  if (text === undefined) return undefined;
  const isRegex = typeof p === 'string' ? /^\/.+\/[a-z]*$/.test(p) : item.regex === true;
  if (!isRegex) return undefined;
  const m = /^\/(.+)\/([a-z]*)$/.exec(text);
  return m ? { source: m[1]!, flags: m[2]! } : { source: text, flags: '' };
}

export const invalidPattern = defineRule({
  code: 'config/invalid-pattern',
  check({ config, report }) {
    const bad = (what: string, error: string, hint: string, path: ConfigPath): void =>
      report({
        severity: 'error',
        message: `${what} is not a valid regular expression: ${error}`,
        hint,
        path,
      });
    const ESCAPE_HINT =
      'escape special characters with a backslash, e.g. \\( or \\. for the character itself';

    for (const { variable, spec, at } of envVariables(config)) {
      if (typeof spec.pattern !== 'string') continue;
      const error = regexError(spec.pattern);
      if (error) bad(`the pattern of ${variable}`, error, ESCAPE_HINT, [...at, 'pattern']);
    }

    for (const { endpoint, at } of healthEndpoints(config)) {
      const lists: [ConfigPath, unknown[]][] = [
        [[...at, 'expect', 'body'], arr(obj(endpoint.expect).body)],
        [[...at, 'degraded'], arr(endpoint.degraded)],
      ];
      for (const [where, conditions] of lists)
        conditions.forEach((c, i) => {
          const { matches, path } = obj(c);
          if (typeof matches !== 'string') return;
          const error = regexError(matches);
          if (error)
            bad(
              `matches of the body condition on ${typeof path === 'string' ? path : 'its path'}`,
              error,
              ESCAPE_HINT,
              [...where, i, 'matches'],
            );
        });
    }

    for (const [service, svc] of entries(config.services))
      for (const signal of LOG_SIGNALS)
        arr(obj(svc.logs)[signal]).forEach((p, i) => {
          const regex = logSignalRegex(p);
          const error = regex && regexError(regex.source, regex.flags);
          if (!error) return;
          const at: ConfigPath = ['services', service, 'logs', signal, i];
          bad(
            `the ${signal} log signal of ${service}`,
            error,
            typeof p === 'string'
              ? `${ESCAPE_HINT}; or write it without the surrounding slashes to match the text as written`
              : `${ESCAPE_HINT}; or set regex: false to match the text as written`,
            typeof p === 'string' ? at : [...at, 'pattern'],
          );
        });
  },
});
