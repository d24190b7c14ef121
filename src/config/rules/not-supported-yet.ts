import { REFUSED_FIELDS } from '../field-support.js';
import type { ConfigPath } from '../locate.js';
import { isObj, type Raw } from '../raw.js';
import { defineRule } from './rule.js';

/** Every place in `config` a field-support path names, with the value there. */
function* resolve(config: Raw, path: string): Generator<{ at: ConfigPath; value: unknown }> {
  const walk = function* (
    value: unknown,
    segments: string[],
    at: ConfigPath,
  ): Generator<{ at: ConfigPath; value: unknown }> {
    if (!segments.length) {
      if (value !== undefined) yield { at, value };
      return;
    }
    const [head = '', ...rest] = segments;
    const list = head.endsWith('[]');
    const key = list ? head.slice(0, -2) : head;
    const targets: [string, unknown][] =
      key === '*'
        ? isObj(value)
          ? Object.entries(value)
          : []
        : isObj(value) && key in value
          ? [[key, value[key]]]
          : [];
    for (const [k, v] of targets) {
      if (!list) yield* walk(v, rest, [...at, k]);
      else if (Array.isArray(v)) for (const [i, item] of v.entries()) yield* walk(item, rest, [...at, k, i]);
    }
  };
  yield* walk(config, path.split('.'), []);
}

/** Fields accepted but not acted on yet: validate says so wherever one is used, instead of a silent no-op. */
export const notSupportedYet = defineRule({
  code: 'config/not-supported-yet',
  check({ config, report }) {
    for (const field of REFUSED_FIELDS)
      for (const { at, value } of resolve(config, field.path)) {
        if (
          value === null ||
          (Array.isArray(value) && !value.length) ||
          (isObj(value) && !Object.keys(value).length)
        )
          continue;
        report({
          severity: 'warning',
          message: `${field.path.replace(/^services\.\*/, 'services.<name>')} is accepted but not acted on yet: ${field.refused}`,
          hint: field.until
            ? `it takes effect with ${field.until}; until then remove it, or keep it as documentation`
            : 'nothing reads it: remove it, or keep it as documentation',
          path: at,
          key: true,
        });
      }
  },
});
