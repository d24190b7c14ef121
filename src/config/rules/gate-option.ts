/**
 * Built-in gates read a few named options; anything else under `options` would be accepted and ignored (a typo
 * such as `histroy: true` silently scans only the working tree). Command and confirm gates read none.
 */
import { arr, isObj, obj } from '../raw.js';
import { BUILTIN_GATE_OPTIONS, BUILTIN_GATES } from '../schema-delivery.js';
import { closestMatch } from '../suggest.js';
import { defineRule } from './rule.js';

const show = (v: unknown) => (typeof v === 'string' ? `the string '${v}'` : (JSON.stringify(v) ?? String(v)));

export const gateOption = defineRule({
  code: 'config/gate-option',
  check({ config, report }) {
    arr(config.gates).forEach((g, i) => {
      const gate = obj(g);
      const at = ['gates', i, 'options'];
      if (!isObj(gate.options) || !Object.keys(gate.options).length) return;
      const builtin = gate.builtin;
      if (builtin === undefined) {
        if (gate.run !== undefined || gate.confirm !== undefined)
          report({
            severity: 'error',
            message: `options apply only to built-in gates; gate '${String(gate.id)}' ${gate.run !== undefined ? 'runs a command' : 'asks a person'} and reads none`,
            hint:
              gate.run !== undefined
                ? 'remove options, and pass settings in the command itself'
                : 'remove options',
            path: at,
            key: true,
          });
        return;
      }
      if (!(BUILTIN_GATES as readonly unknown[]).includes(builtin)) return; // the schema reports the name
      const known = BUILTIN_GATE_OPTIONS[builtin as keyof typeof BUILTIN_GATE_OPTIONS];
      const names = Object.keys(known);
      for (const [name, value] of Object.entries(gate.options)) {
        const spec = known[name];
        if (!spec) {
          const guess = closestMatch(name, names);
          report({
            severity: 'error',
            message: `the ${builtin} gate has no option '${name}'`,
            hint: guess
              ? `did you mean '${guess}'?`
              : names.length
                ? `the ${builtin} gate reads: ${names.join(', ')}`
                : `the ${builtin} gate takes no options: remove them`,
            path: [...at, name],
            key: true,
          });
        } else if (typeof value !== spec.type || (spec.type === 'string' && !(value as string).trim()))
          report({
            severity: 'error',
            message: `option '${name}' of the ${builtin} gate must be ${spec.type === 'boolean' ? 'true or false' : 'a non-empty string'}, not ${show(value)}`,
            hint: `e.g. ${name}: ${spec.example}`,
            path: [...at, name],
          });
      }
    });
  },
});
