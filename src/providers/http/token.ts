/** API tokens come from the environment variable the config names (or the platform's usual one), never from config. */
import type { SecretRef } from '../../config/index.js';
import { UserError } from '../../errors.js';
import type { ProviderContext } from '../types.js';

export interface TokenSource {
  /** The variable holding the token. */
  name: string;
  read: (ctx: ProviderContext) => string;
}

export function createTokenSource(
  ref: SecretRef | undefined,
  defaultEnv: string,
  platform: string,
  where: string,
): TokenSource {
  const name = ref?.env ?? defaultEnv;
  return {
    name,
    read(ctx) {
      const value = ctx.env[name]?.trim();
      if (!value) {
        throw new UserError(
          `${platform}: the API token variable ${name} is not set`,
          `create a token in ${where} and export ${name}=<token> (or point provider.token at another variable)`,
          'provider/missing-token',
        );
      }
      ctx.redactor.add([value]);
      return value;
    },
  };
}
