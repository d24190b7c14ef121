import { afterAll, expect, it } from 'vitest';
import { localStack, matrix, type Stack, TRIALS } from '../support/crash-matrix.js';

let stack: Stack | undefined;
afterAll(async () => stack?.close());

it('the local provider, SIGKILLed at every journal point, resumes to the right release, verdict and lock', async () => {
  stack = await localStack();
  expect(await matrix(stack)).toHaveLength(TRIALS);
}, 300_000);
