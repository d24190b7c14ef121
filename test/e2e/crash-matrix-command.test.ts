import { afterAll, expect, it } from 'vitest';
import { commandStack, matrix, type Stack, TRIALS } from '../support/crash-matrix.js';

let stack: Stack | undefined;
afterAll(async () => stack?.close());

it('the command provider, SIGKILLed at every journal point, resumes to the right release, verdict and lock', async () => {
  stack = await commandStack();
  expect(await matrix(stack)).toHaveLength(TRIALS);
}, 300_000);
