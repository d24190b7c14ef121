#!/usr/bin/env node
/** The entry point and the only top-level catch: maps errors to exit codes and never shows a stack trace for user errors. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const argv = process.argv.slice(2);

function version(): string {
  return (
    JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
}

// The fast path: answer --version before anything else is loaded.
if (argv[0] === '--version' || argv[0] === '-v') {
  process.stdout.write(`${version()}\n`);
  process.exit(0);
}

const { COMMANDS, GLOBAL_FLAGS, commandHelp, findCommand, mainHelp } = await import('./cli.js');

if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
  const topic = argv[0] === 'help' && argv[1] ? findCommand(argv[1]) : undefined;
  process.stdout.write(`${topic ? commandHelp(topic) : mainHelp(version())}\n`);
  process.exit(0);
}

const { EXIT, ExitError, ProviderError, UserError } = await import('./errors.js');
const { createOutput, detectMode } = await import('./output/index.js');
const { closestMatch } = await import('./config/suggest.js');

const name = argv[0] ?? '';
const spec = findCommand(name);
const wantsJson = argv.includes('--json');
const out = createOutput({
  mode: detectMode({ json: wantsJson, plain: argv.includes('--plain') }, process.stdout, process.env),
});
const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'));
  // A second Ctrl-C exits at once.
  process.once('SIGINT', () => process.exit(EXIT.interrupted));
});

function envelope(ok: boolean, data: unknown, extra: Record<string, unknown> = {}) {
  return { ok, command: name, version: version(), data, diagnostics: [], ...extra };
}

let exitCode: number = EXIT.ok;
try {
  if (!spec) {
    const guess = closestMatch(
      name,
      COMMANDS.map((c) => c.name),
    );
    throw new UserError(
      `unknown command '${name}'`,
      guess
        ? `did you mean 'opsbook ${guess}'? Run 'opsbook --help' for the list.`
        : "run 'opsbook --help' for the list of commands",
    );
  }
  const options = { ...GLOBAL_FLAGS, ...spec.flags };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: Object.fromEntries(
        // Node 20's parseArgs rejects keys that are present but undefined.
        Object.entries(options).map(([k, f]) => [
          k,
          { type: f.type, ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    // Node names the flag as '--days', '--limit <value>' or '-e, --env <value>'.
    const flag = /'(?:-\w, )?-{1,2}([^'\s]+)/.exec(message)?.[1];
    const known = flag !== undefined && Object.hasOwn(options, flag);
    const guess = flag && !known ? closestMatch(flag, Object.keys(options)) : undefined;
    const help = `see 'opsbook ${name} --help'`;
    throw new UserError(
      // Node's advice about '--' only confuses a mistyped flag.
      (message.split('\n')[0] ?? message).replace(/\. To specify a positional argument.*$/, ''),
      guess
        ? `did you mean --${guess}? See 'opsbook ${name} --help'.`
        : known && message.includes('ambiguous')
          ? `to give --${flag} a value that starts with '-', write --${flag}=VALUE; ${help}`
          : help,
    );
  }
  // A command whose usage names no argument must not ignore one: `deploy api` would deploy every service.
  const takesArguments = !/^opsbook \S+(\s+\[?-|$)/.test(spec.usage);
  if (!parsed.values.help && !takesArguments && parsed.positionals.length) {
    const first = parsed.positionals[0];
    const flag = 'service' in options ? 'service' : 'env' in options ? 'env' : undefined;
    throw new UserError(
      `'opsbook ${name}' takes no arguments, but got '${parsed.positionals.join(' ')}'`,
      `${flag ? `to pick ${flag === 'env' ? 'an environment' : 'a service'}, pass --${flag} ${first}; ` : ''}see 'opsbook ${name} --help'`,
    );
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(spec)}\n`);
  } else {
    const handler = await spec.load();
    const cwd = typeof parsed.values.cwd === 'string' ? parsed.values.cwd : process.cwd();
    const outcome = await handler({
      values: parsed.values,
      positionals: parsed.positionals,
      cwd,
      out,
      env: process.env,
      interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY && !process.env.CI),
      signal: controller.signal,
    });
    if (out.mode === 'json')
      out.json(envelope(outcome.ok, outcome.data, { diagnostics: outcome.diagnostics ?? [] }));
    else {
      outcome.print?.(out);
      if (outcome.diagnostics?.length) out.diagnostics(outcome.diagnostics);
    }
    exitCode = outcome.exitCode ?? (outcome.ok ? EXIT.ok : EXIT.failed);
  }
} catch (error) {
  if (error instanceof ExitError) exitCode = error.exitCode;
  else if (error instanceof UserError) {
    exitCode = EXIT.usage;
    if (out.mode === 'json')
      out.json(
        envelope(false, null, { error: { code: error.code, message: error.message, hint: error.hint } }),
      );
    else out.error(error.message, error.hint);
  } else if (error instanceof ProviderError) {
    exitCode = EXIT.provider;
    const detail = `${error.provider}: ${error.message}${error.status ? ` (HTTP ${error.status})` : ''}`;
    if (out.mode === 'json')
      out.json(
        envelope(false, null, {
          error: { code: 'provider-error', message: detail, body: error.bodyExcerpt },
        }),
      );
    else out.error(detail, error.bodyExcerpt ? `response: ${error.bodyExcerpt}` : undefined);
  } else if (controller.signal.aborted) {
    exitCode = EXIT.interrupted;
    out.error('interrupted');
  } else {
    exitCode = EXIT.internal;
    const err = error as Error;
    if (out.mode === 'json')
      out.json(envelope(false, null, { error: { code: 'internal', message: String(err?.message ?? err) } }));
    out.error(`opsbook hit a bug: ${err?.message ?? String(err)}`, 'please report it with the stack below');
    process.stderr.write(`${out.redactor.redact(String(err?.stack ?? ''))}\n`);
  }
}
process.exitCode = exitCode;
