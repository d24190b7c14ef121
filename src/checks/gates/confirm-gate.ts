/** A confirmation gate: a person vouches for what no command can check ("code reviewed and approved"). */
import type { Gate } from '../../config/index.js';
import type { GateContext, GateOutcome } from './types.js';

export async function runConfirmGate(gate: Gate, ctx: GateContext): Promise<GateOutcome> {
  const question = gate.confirm ?? gate.id;
  const at = new Date().toISOString();
  if (ctx.confirmed.has(gate.id))
    return {
      status: 'passed',
      summary: `confirmed by ${ctx.actor} (--confirm)`,
      evidence: { by: ctx.actor, at, via: 'flag' },
    };
  if (ctx.ask) {
    const yes = await ctx.ask(question);
    return yes
      ? {
          status: 'passed',
          summary: `confirmed by ${ctx.actor}`,
          evidence: { by: ctx.actor, at, via: 'prompt' },
        }
      : {
          status: 'failed',
          summary: `not confirmed by ${ctx.actor}`,
          evidence: { by: ctx.actor, at, via: 'prompt' },
        };
  }
  return {
    status: 'failed',
    summary: `needs a person: re-run with --confirm ${gate.id} once "${question}" is true`,
    evidence: { by: null, at, via: 'none' },
  };
}
