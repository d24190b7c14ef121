/** Log signals: lines that mean a release started well, and lines that mean trouble (matched as `opsbook logs --grep` matches). */
import type { ResolvedService } from '../config/index.js';
import { compilePattern } from '../logs/index.js';

export interface LogSignals {
  success: (line: string) => boolean;
  trouble: (line: string) => boolean;
}

export function compileLogSignals(service: ResolvedService): LogSignals {
  const success = (service.logs?.success ?? []).map(compilePattern);
  const trouble = (service.logs?.trouble ?? []).map(compilePattern);
  return {
    success: (line) => success.some((m) => m(line)),
    trouble: (line) => trouble.some((m) => m(line)),
  };
}
