/** Log signals: lines that mean a release started well, and lines that mean trouble (from the service's config). */
import type { ResolvedService } from '../config/index.js';

type Pattern = NonNullable<ResolvedService['logs']>['success'][number];

function toMatcher(p: Pattern): (line: string) => boolean {
  const text = typeof p === 'string' ? p : p.pattern;
  const isRegex = typeof p === 'string' ? /^\/.+\/[a-z]*$/.test(p) : p.regex;
  if (isRegex) {
    const m = /^\/(.+)\/([a-z]*)$/.exec(text);
    const re = m ? new RegExp(m[1]!, m[2]) : new RegExp(text);
    return (line) => re.test(line);
  }
  return (line) => line.includes(text);
}

export interface LogSignals {
  success: (line: string) => boolean;
  trouble: (line: string) => boolean;
}

export function compileLogSignals(service: ResolvedService): LogSignals {
  const success = (service.logs?.success ?? []).map(toMatcher);
  const trouble = (service.logs?.trouble ?? []).map(toMatcher);
  return {
    success: (line) => success.some((m) => m(line)),
    trouble: (line) => trouble.some((m) => m(line)),
  };
}
