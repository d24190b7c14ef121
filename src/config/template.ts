/**
 * The one template syntax of opsbook.yaml's messages (announcements): `{{name}}`, spaces inside the braces
 * allowed, `{{health.<service>}}` for a service's state. Anything else in the text is literal. `validate`
 * checks every `{{...}}` against the known variables; rendering fills them in.
 */

/** Variables of deploy announcements, with what they hold (shown by `validate` and the docs). */
export const ANNOUNCEMENT_VARIABLES = {
  stack: 'the stack name',
  environment: 'the environment deployed',
  services: 'the services of the deploy, comma-separated',
  branch: "the environment's branch",
  commit: 'the commit deployed (12 characters)',
  version: 'the release label (--version), else the commit',
  actor: 'who deploys',
  duration: 'how long the deploy took so far',
  expectedDuration: 'deploy.expectedDuration',
  expectedDowntime: 'deploy.expectedDowntime',
  leadTime: 'announcements.leadTime: how long after the start announcement production changes',
  startsAt: 'when production starts to change (UTC): the announcement time plus the lead time',
  verification: "verification's verdict and reason",
  issues: 'what went wrong or needs reading (failure, trouble lines), else None',
  reason: 'why the deploy failed or was rolled back',
  'health.<service>': "a service's state after verification: healthy, failed, rolled back, not verified yet",
} as const;

export interface TemplateVariable {
  name: string;
  /** Offset of the `{{` in the text. */
  index: number;
}

const VARIABLE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every `{{...}}` of `text`, in order. */
export function templateVariables(text: string): TemplateVariable[] {
  return [...text.matchAll(VARIABLE)].map((m) => ({ name: m[1] ?? '', index: m.index ?? 0 }));
}

/** Why `name` is not a variable of `known` (with `health.<service>` for each of `services`), or undefined. */
export function unknownVariable(name: string, services: readonly string[]): boolean {
  if (name.startsWith('health.')) return !services.includes(name.slice('health.'.length));
  return !(name in ANNOUNCEMENT_VARIABLES) || name === 'health.<service>';
}

/** Fills each `{{name}}` from `vars`; an unknown one (validate refuses those) is left as written. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  return text.replace(VARIABLE, (whole, name: string) => vars[name] ?? whole);
}
