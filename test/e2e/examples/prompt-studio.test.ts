// examples/prompt-studio: `check` passes on an environment that meets its contract, and fails naming the one value removed.
import { describe, expect, it } from 'vitest';
import { promptStudioEnv } from './env-values.js';
import { envelope, exampleStack } from './example-stack.js';

interface GateResult {
  id: string;
  status: string;
  summary: string;
}

describe('examples/prompt-studio against its env contract', () => {
  it('fails the env gate when STRIPE_WEBHOOK_SECRET is missing, naming it, after passing with it set', async () => {
    const values = promptStudioEnv();
    const stack = await exampleStack('prompt-studio');
    try {
      const passing = await stack.run(['check', '--only', 'env', '--json'], values);
      expect(passing.code, passing.stdout + passing.stderr).toBe(0);
      expect(envelope(passing).ok).toBe(true);

      const { STRIPE_WEBHOOK_SECRET: _, ...without } = values;
      const failing = await stack.run(['check', '--only', 'env', '--json'], without);
      const result = envelope(failing);
      expect(failing.code).toBe(1);
      expect(result.ok).toBe(false);
      const gate = (result.data.gates as GateResult[]).find((g) => g.id === 'env');
      expect(gate?.status).toBe('failed');
      expect(gate?.summary).toContain(
        'STRIPE_WEBHOOK_SECRET (backend) is required in production but not set',
      );
      // The values it read never reach the output.
      const output = passing.stdout + passing.stderr + failing.stdout + failing.stderr;
      for (const [name, value] of Object.entries(values))
        if (value.length > 16) expect(output, name).not.toContain(value);
    } finally {
      await stack.close();
    }
  }, 60_000);
});
