/**
 * `deploy.verify.confirm`: the post-deploy checks a person confirms after the automatic ones. Asked in a
 * terminal or taken from `--confirm verify-N` (or the question's text); each answer is recorded with who and when.
 * Unanswered in CI, the run pauses: it never calls a release good that nobody confirmed.
 */
import type { RunDeployOptions } from './context.js';
import type { Confirmation, Journal } from './journal.js';

export type ConfirmOutcome =
  | { outcome: 'confirmed' }
  | { outcome: 'refused'; question: string }
  | { outcome: 'unanswered'; pending: { id: string; question: string }[] };

const idOf = (i: number) => `verify-${i + 1}`;

/** Whether `--confirm` values answer question `i`: its id (verify-1) or its text, case aside. */
function flagged(confirmed: string[], question: string, i: number): boolean {
  const text = question.trim().toLowerCase();
  return confirmed.some((c) => c === idOf(i) || c.trim().toLowerCase() === text);
}

export async function confirmRelease(
  options: RunDeployOptions,
  journal: Journal,
  now: () => number,
): Promise<ConfirmOutcome> {
  const questions = options.config.deploy.verify.confirm ?? [];
  const { state } = journal;
  state.confirmations ??= [];
  const pending: { id: string; question: string }[] = [];
  for (const [i, question] of questions.entries()) {
    if (state.confirmations.some((c) => c.question === question && c.answer)) continue;
    const at = () => new Date(now()).toISOString();
    let answer: Confirmation | undefined;
    if (flagged(options.confirmed ?? [], question, i))
      answer = { question, answer: true, by: options.actor, at: at(), via: 'flag' };
    else if (options.ask)
      answer = {
        question,
        answer: await options.ask(`${question} (after the deploy)`),
        by: options.actor,
        at: at(),
        via: 'prompt',
      };
    if (!answer) {
      pending.push({ id: idOf(i), question });
      continue;
    }
    state.confirmations.push(answer);
    await journal.save();
    await journal.event(
      answer.answer ? 'info' : 'error',
      'verify.confirm',
      `${answer.by} answered ${answer.answer ? 'yes' : 'no'}: ${question}`,
      { ...answer },
    );
    if (!answer.answer) return { outcome: 'refused', question };
  }
  return pending.length ? { outcome: 'unanswered', pending } : { outcome: 'confirmed' };
}
