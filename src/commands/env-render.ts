/** How `opsbook env` prints a check, a diff and a generated file. */
import type { EnvFileResult } from '../app/env.js';
import { type CheckEnvResult, type DiffEnvResult, platformName } from '../checks/env/index.js';
import { countBySeverity } from '../diagnostics/index.js';
import type { Output } from '../output/index.js';
import type { CommandOutcome } from './types.js';

function sourceText(source: CheckEnvResult['source']): string {
  if (source.kind === 'provider') return "each service's platform";
  return source.kind === 'file' ? source.file : 'the process environment';
}

export function checkOutcome(result: CheckEnvResult): CommandOutcome {
  const counts = countBySeverity(result.diagnostics);
  const scope = `${result.variables} variable(s) of ${result.services} service(s) in ${result.environment}, from ${sourceText(result.source)}`;
  return {
    ok: result.ok,
    data: { ...result, diagnostics: undefined },
    diagnostics: result.diagnostics,
    print: (out) => {
      if (result.ok)
        out.success(
          `${scope}: the env contract holds${counts.warning ? ` (${counts.warning} warning(s))` : ''}`,
        );
      else out.line(`${out.style('red', 'env contract broken')}: ${scope}: ${counts.error} error(s)`);
    },
  };
}

type DiffRow = { service?: string; status: string; key: string; detail: string };

/** `--from provider`: the rows of each service, against its own platform. */
function serviceRows(result: DiffEnvResult): DiffRow[] {
  return (result.services ?? []).flatMap((d) => {
    const platform = `${platformName(d.platform)} (${d.service})`;
    const row = (status: string, detail: string) => (key: string) => ({
      service: d.service,
      status,
      key,
      detail,
    });
    return [
      ...d.extra.map(row('extra', `on ${platform}, in no contract of ${d.service}`)),
      ...d.unreadable.map(row('not readable', 'set (value not readable): compared by presence only')),
      ...d.changed.map(row('changed', 'values differ (by hash)')),
      ...d.onlyInSource.map(row('only here', `only on ${platform}`)),
      ...d.onlyInAgainst.map(
        row('only there', `only in ${result.against ? sourceText(result.against) : ''}`),
      ),
    ];
  });
}

export function printDiff(out: Output, result: DiffEnvResult): void {
  const perService = result.services !== undefined;
  const rows: DiffRow[] = [
    ...result.missing.map((m) => ({
      status: 'missing',
      key: m.key,
      detail: `required by ${m.services.join(', ')}`,
    })),
    ...(perService ? serviceRows(result) : sharedRows(result)),
  ];
  out.heading(
    `${result.environment}: ${sourceText(result.source)}${result.against ? ` against ${sourceText(result.against)}` : ''}`,
  );
  if (!rows.length) {
    out.success('no differences');
    return;
  }
  out.table(rows, [
    ...(perService ? [{ header: 'SERVICE', value: (r: DiffRow) => r.service ?? '' }] : []),
    { header: 'STATUS', value: (r) => r.status },
    { header: 'KEY', value: (r) => r.key },
    { header: 'DETAIL', value: (r) => r.detail },
  ]);
  if (result.extra === null) out.note('extra keys are not listed for the process environment');
}

function sharedRows(result: DiffEnvResult): DiffRow[] {
  return [
    ...(result.extra ?? []).map((key) => ({ status: 'extra', key, detail: 'in no service contract' })),
    ...result.changed.map((key) => ({ status: 'changed', key, detail: 'values differ (by hash)' })),
    ...result.onlyInSource.map((key) => ({
      status: 'only here',
      key,
      detail: `only in ${sourceText(result.source)}`,
    })),
    ...result.onlyInAgainst.map((key) => ({
      status: 'only there',
      key,
      detail: `only in ${sourceText(result.against!)}`,
    })),
  ];
}

export function fileOutcome(result: EnvFileResult, what: string): CommandOutcome {
  return {
    ok: true,
    data: result,
    print: (out) =>
      result.file
        ? out.success(`wrote ${result.file} (${what}, ${result.variables} variable(s))`)
        : out.line(result.text.trimEnd()),
  };
}
