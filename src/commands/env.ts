/** `opsbook env check|diff|example|docs`: the env contract against real values, and the files generated from it. */
import { basename, dirname, relative, resolve } from 'node:path';
import { writeOutputFile } from '../app/output-file.js';
import {
  type CheckEnvResult,
  checkEnv,
  type DiffEnvResult,
  diffEnv,
  platformName,
  renderEnvDocs,
  renderEnvExample,
  servicesToDescribe,
} from '../checks/env/index.js';
import type { StackConfig } from '../config/index.js';
import { countBySeverity, hasErrors } from '../diagnostics/index.js';
import { UserError } from '../errors.js';
import type { Output } from '../output/index.js';
import { flagBool, flagString } from './args.js';
import { configFor } from './config.js';
import type { CommandHandler, CommandInput, CommandOutcome } from './types.js';

const SUBCOMMANDS = ['check', 'diff', 'example', 'docs'] as const;

export interface EnvFileOptions {
  cwd: string;
  config: StackConfig;
  /** The config file as loaded, relative to cwd. */
  configFile: string;
  /** Describe the services as this environment sees them (default: as declared). */
  environment?: string;
  service?: string;
  /** Write the text to this file (relative to cwd) instead of returning it only. */
  write?: string;
}

export interface EnvFileResult {
  text: string;
  variables: number;
  /** The file written, when asked to write. */
  file?: string;
}

async function generate(
  options: EnvFileOptions,
  render: typeof renderEnvExample | 'docs',
): Promise<EnvFileResult> {
  const services = servicesToDescribe(options.config, options.environment, options.service);
  const configName = basename(options.configFile);
  const text =
    render === 'docs'
      ? renderEnvDocs(services, options.config.name, configName)
      : render(services, configName);
  const variables = new Set(services.flatMap((s) => Object.keys(s.env))).size;
  if (!options.write) return { text, variables };
  await writeOutputFile(options.cwd, options.write, text);
  return { text, variables, file: options.write };
}

/** `.env.example` text; with `write`, also the file. */
export const envExample = (options: EnvFileOptions) => generate(options, renderEnvExample);
/** The markdown env table; with `write`, also the file. */
export const envDocs = (options: EnvFileOptions) => generate(options, 'docs');

function sourceText(source: CheckEnvResult['source']): string {
  if (source.kind === 'provider') return "each service's platform";
  return source.kind === 'file' ? source.file : 'the process environment';
}

function checkOutcome(result: CheckEnvResult): CommandOutcome {
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

function printDiff(out: Output, result: DiffEnvResult): void {
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

function fileOutcome(result: EnvFileResult, what: string): CommandOutcome {
  return {
    ok: true,
    data: result,
    print: (out) =>
      result.file
        ? out.success(`wrote ${result.file} (${what}, ${result.variables} variable(s))`)
        : out.line(result.text.trimEnd()),
  };
}

export const run: CommandHandler = async (input: CommandInput) => {
  const [sub, ...rest] = input.positionals;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
    throw new UserError(
      sub ? `unknown env subcommand '${sub}'` : 'env needs a subcommand',
      `use one of: ${SUBCOMMANDS.map((s) => `opsbook env ${s}`).join(', ')}`,
    );
  const extra = sub === 'example' || sub === 'docs' ? rest.slice(1) : rest;
  if (extra.length) throw new UserError(`unexpected argument '${extra[0]}'`, "see 'opsbook env --help'");
  const loaded = await configFor(input);
  if (loaded.failure) return loaded.failure;
  const common = {
    cwd: input.cwd,
    config: loaded.config,
    configFile: loaded.file,
    environment: flagString(input, 'env'),
  };
  if (sub === 'check' || sub === 'diff') {
    const options = {
      ...common,
      from: flagString(input, 'from'),
      env: input.env,
      redactor: input.out.redactor,
      signal: input.signal,
    };
    if (sub === 'check') return checkOutcome(await checkEnv(options));
    const result = await diffEnv({ ...options, against: flagString(input, 'against') });
    return {
      ok: result.missing.length === 0 && !hasErrors(result.diagnostics),
      data: { ...result, diagnostics: undefined },
      diagnostics: result.diagnostics,
      print: (out) => printDiff(out, result),
    };
  }
  const write = flagBool(input, 'write') ? rest[0] : undefined;
  if (sub === 'example') {
    const beside = relative(input.cwd, resolve(dirname(resolve(input.cwd, loaded.file)), '.env.example'));
    const file = flagBool(input, 'write') ? (rest[0] ?? beside) : undefined;
    return fileOutcome(
      await envExample({ ...common, service: flagString(input, 'service'), write: file }),
      '.env.example',
    );
  }
  if (flagBool(input, 'write') && !write)
    throw new UserError('env docs --write needs a file', 'e.g. opsbook env docs --write docs/environment.md');
  return fileOutcome(await envDocs({ ...common, service: flagString(input, 'service'), write }), 'env docs');
};
