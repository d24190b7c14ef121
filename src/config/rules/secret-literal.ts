import { entries, obj, str } from '../raw.js';
import { defineRule } from './rule.js';
import { envVariables } from './walk.js';

/** Header names that carry a credential. */
const CREDENTIAL_HEADER = /^(proxy-)?authorization$|token|secret|api[-_]?key|password|signature/i;

/** The variable a hint suggests for a channel's secret, e.g. OPS_HOOK_AUTHORIZATION. */
const envName = (channel: string, field: string) => `${channel}_${field}`.toUpperCase().replace(/\W/g, '_');

const SECRET_SHAPES =
  /^(sk[-_](live|test|ant|proj)|whsec_|ghp_|xox[bp]-|re_[A-Za-z0-9]{8}|eyJ[A-Za-z0-9_-]{10,}\.)/;

export const secretLiteral = defineRule({
  code: 'config/secret-literal',
  check({ config, report }) {
    for (const { variable, spec, at } of envVariables(config)) {
      const def = str(spec.default);
      // A secret variable with any default is config/secret-default already.
      if (spec.secret !== true && def && SECRET_SHAPES.test(def))
        report({
          severity: 'error',
          message: `the default of ${variable} looks like a real secret`,
          hint: 'never write secret values in opsbook.yaml: mark the variable secret: true and remove the default',
          path: [...at, 'default'],
        });
    }
    for (const [name, channel] of entries(config.channels)) {
      // A Slack incoming webhook's path is its token: whoever has the URL posts to the channel.
      if (channel.type === 'slack' && typeof channel.webhook === 'string')
        report({
          severity: 'warning',
          message: `channels.${name}.webhook is a Slack incoming webhook URL written in opsbook.yaml: its path is the token, so anyone who reads the config can post as it`,
          hint: `give it as webhook: { env: ${envName(name, 'webhook')} } and export that variable where opsbook runs`,
          path: ['channels', name, 'webhook'],
        });
      for (const [header, value] of Object.entries(obj(channel.headers)))
        if (typeof value === 'string' && (CREDENTIAL_HEADER.test(header) || SECRET_SHAPES.test(value)))
          report({
            severity: 'warning',
            message: `channels.${name}.headers.${header} is a credential written in opsbook.yaml: anyone who reads the config has it, and it is not masked in output`,
            hint: `give it as ${header}: { env: ${envName(name, header)} } and export that variable where opsbook runs`,
            path: ['channels', name, 'headers', header],
          });
    }
  },
});
