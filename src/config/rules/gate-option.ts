/**
 * Built-in gates read a few named options; anything else under `options` would be accepted and ignored (a typo
 * such as `histroy: true` silently scans only the working tree). Command and confirm gates read none; only command
 * gates read `timeout`, and `cwd` besides them only the lockfile gate.
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
      // Only a command runs in a folder and is stopped after a time: on another gate they were accepted and
      // ignored (a secrets gate with cwd: packages/api still scanned the whole repository).
      if (gate.run === undefined && (gate.builtin !== undefined || gate.confirm !== undefined))
        for (const field of ['cwd', 'timeout'] as const) {
          // The lockfile gate checks the folder cwd names (a package in a monorepo).
          if (gate[field] === undefined || (field === 'cwd' && gate.builtin === 'lockfile')) continue;
          const scansPath = field === 'cwd' && gate.builtin === 'secrets';
          report({
            severity: 'error',
            message: `${field} applies only to command gates${field === 'cwd' ? ' and the lockfile gate' : ''}; gate '${String(gate.id)}' ${gate.builtin !== undefined ? `is the built-in ${String(gate.builtin)} check` : 'asks a person'} and does not read it`,
            hint: scansPath
              ? `to scan one folder, write options: { path: ${String(gate.cwd)} }`
              : `remove ${field}`,
            path: ['gates', i, field],
            key: true,
          });
        }
      // inputs key a cached result: on a gate that is never cached they were accepted and read by nothing.
      const live = gate.confirm !== undefined || gate.builtin === 'git';
      if (gate.inputs !== undefined && (gate.cache === false || (live && gate.cache !== true)))
        report({
          severity: 'warning',
          message: `inputs key a cached result, and gate '${String(gate.id)}' is never cached (${gate.cache === false ? 'cache: false' : gate.confirm !== undefined ? 'a person answers it on each run' : 'it reads the branch and the upstream'}), so nothing reads them`,
          hint:
            gate.cache === false
              ? 'remove inputs, or cache: false'
              : 'remove inputs, or add cache: true to replay its pass while they are unchanged',
          path: ['gates', i, 'inputs'],
          key: true,
        });
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
