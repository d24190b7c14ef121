/**
 * opsbook.config.ts through jiti, the one module that touches it: whatever the file does (throws a non-Error,
 * never settles a top-level await, has a syntax error) ends as one diagnostic with file:line:col when known.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../diagnostics/index.js';

export const TS_LOAD_TIMEOUT_MS = 10_000;

async function importTsConfig(path: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // `import { defineConfig } from 'opsbook'` resolves to this very package, even outside a project that installed it.
  const self = fileURLToPath(new URL('../index.js', import.meta.url));
  const jiti = createJiti(import.meta.url, {
    alias: { opsbook: existsSync(self) ? self : self.replace(/\.js$/, '.ts') },
  });
  return jiti.import(path, { default: true });
}

/** `path:line:col` as stack frames and parse errors write it. */
function positionIn(text: string, path: string): { line: number; column: number } | undefined {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?:file://)?${escaped}:(\\d+):(\\d+)`).exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

function describeThrown(error: unknown, path: string): string {
  if (!(error instanceof Error))
    return `it threw ${typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error))}`;
  const first = (error.message.split('\n')[0] ?? '').trim() || error.name;
  return first.replace(/^ParseError: /, 'syntax error: ').replace(` ${path}`, '');
}

export async function loadTsConfig(
  path: string,
  shown: string,
  timeoutMs: number,
): Promise<{ data: unknown } | { diagnostic: Diagnostic }> {
  let timer: NodeJS.Timeout | undefined;
  // Not unref'd on purpose: it keeps the process alive so a never-settling await ends here, not in a silent exit 13.
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const data = await Promise.race([importTsConfig(path), timeout]);
    if (data !== 'timeout') return { data };
    return {
      diagnostic: {
        severity: 'error',
        code: 'config/ts-load-timeout',
        message: `${shown} did not finish loading within ${timeoutMs / 1000} s (a top-level await that never settles?)`,
        hint: 'make every top-level await settle, or load slow data at run time instead of in the config',
        location: { file: shown },
      },
    };
  } catch (error) {
    const stack = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : '';
    return {
      diagnostic: {
        severity: 'error',
        code: 'config/ts-load-failed',
        message: `could not load ${shown}: ${describeThrown(error, path)}`,
        hint: 'fix the error at this position; the file must `export default defineConfig({...})`',
        location: { file: shown, ...positionIn(stack, path) },
      },
    };
  } finally {
    clearTimeout(timer);
  }
}
