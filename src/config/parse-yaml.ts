/**
 * YAML text to plain data, bounded: a size limit, an alias-expansion limit (billion laughs is a diagnostic, not a
 * crash) and a duplicate-key check in one pass over the document (yaml's own `uniqueKeys` compares every key
 * with every other key of its mapping: quadratic in the number of services).
 */
import type { Document, LineCounter } from 'yaml';
import { type Diagnostic, hasErrors } from '../diagnostics/index.js';
import { yamlModule } from './yaml-lazy.js';

/** Far above any real stack (32,000 services are ~1 MiB), far below what exhausts memory. */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Aliases a document may expand; each may copy a whole subtree, so many of them multiply. */
export const MAX_ALIAS_COUNT = 100;

export interface ParsedYaml {
  data?: unknown;
  doc?: Document;
  lines: LineCounter;
  diagnostics: Diagnostic[];
}

export function tooLarge(file: string, bytes: number): Diagnostic {
  return {
    severity: 'error',
    code: 'config/too-large',
    message: `${file} is ${(bytes / 1024 / 1024).toFixed(1)} MiB; a config may be at most ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`,
    hint: 'split generated parts out, or check that the right file is loaded',
    location: { file },
  };
}

export function parseConfigYaml(text: string, file: string): ParsedYaml {
  const { LineCounter, parseDocument, visit } = yamlModule();
  const lines = new LineCounter();
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) return { lines, diagnostics: [tooLarge(file, bytes)] };
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  const diagnostics: Diagnostic[] = [...doc.errors, ...doc.warnings].map((e) => ({
    severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
    code: 'config/yaml-syntax',
    message: e.message.split('\n')[0] ?? e.message,
    hint: 'fix the YAML syntax at this position',
    location: at(e.pos[0]),
  }));
  diagnostics.push(...duplicateKeys(doc, at));
  if (hasErrors(diagnostics)) return { doc, lines, diagnostics };
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}, doc, lines, diagnostics };
  } catch (error) {
    // yaml throws a ReferenceError when the aliases would expand past the limit.
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    diagnostics.push({
      severity: 'error',
      code: 'config/alias-limit',
      message: `the aliases (*name) expand too far: ${(error as Error).message}`,
      hint: `use fewer aliases or nest them less deeply (at most ${MAX_ALIAS_COUNT} alias expansions)`,
      location: first === undefined ? { file } : at(first),
    });
    return { doc, lines, diagnostics };
  }
}

type At = (offset: number) => { file: string; line: number; column: number };

function duplicateKeys(doc: Document, at: At): Diagnostic[] {
  const { isAlias, isScalar, visit } = yamlModule();
  const found: Diagnostic[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        // Merge keys (<<) and non-scalar keys are yaml's business; opsbook's keys are plain scalars.
        if (!isScalar(pair.key) || isAlias(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === '<<' || !seen.has(key)) {
          seen.add(key);
          continue;
        }
        found.push({
          severity: 'error',
          code: 'config/duplicate-key',
          message: `'${key}' appears twice in this mapping`,
          hint: 'a key may appear once per mapping: merge the two',
          location: at(pair.key.range?.[0] ?? 0),
        });
      }
    },
  });
  return found;
}
