#!/usr/bin/env node
/** The entry point and the only top-level catch: maps errors to exit codes and never shows a stack trace for user errors. */
import { readFileSync, statSync } from 'node:fs';

// `opsbook --cwd app status` as well as `opsbook status --cwd app`.
const argv = process.argv[2]?.startsWith('-')
  ? (await import('./commands/globals-first.js')).globalsFirst(process.argv.slice(2))
  : process.argv.slice(2);

// `opsbook … | head -1`: the reader has gone, which is not a failure. Later writes are dropped while the command
// finishes what it started (a deploy must not stop half-way because nobody reads its log).
// Any other failure to write (stdout on a full disk) is reported on stderr with the environment exit code.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    if (stream === process.stdout)
      process.stderr.write(
        `error: cannot write the output: ${error.code === 'ENOSPC' ? 'no space left on the device' : error.message}\n`,
      );
    process.exit(5);
  });

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

// A lint of a few files is over in a few hundred milliseconds: its parser starts compiling now, in the background,
// while the rest of the CLI loads.
if (argv[0] === 'migrate' && argv[1] === 'lint')
  (await import('./commands/migrate-lint-warmup.js')).startLintParser();

if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
  const { commandHelp, findCommand, mainHelp } = await import('./cli.js');
  const topic = argv[0] === 'help' && argv[1] ? findCommand(argv[1]) : undefined;
  process.stdout.write(`${topic ? commandHelp(topic) : mainHelp(version())}\n`);
  process.exit(0);
}

// Loaded together, not one after another: each dynamic import that waits for the last is another round trip to the
// module loader's file reads, with this thread idle meanwhile.
const cliLoading = import('./cli.js');
const restLoading = Promise.all([
  import('./errors.js'),
  import('./output/index.js'),
  import('./redact/index.js'),
  import('./config/suggest.js'),
  import('./commands/parse-argv.js'),
]);
// A failure surfaces where each is awaited, not as an unhandled rejection before that.
restLoading.catch(() => {});
const { COMMANDS, commandHelp, findCommand } = await cliLoading;

const name = argv[0] ?? '';
const spec = findCommand(name);
// The command's own modules start loading now too, alongside the rest of the CLI's (not for its help).
const asksHelp = argv.includes('--help') || argv.includes('-h');
const commandLoading = asksHelp ? undefined : spec?.load();
commandLoading?.catch(() => {});
const [
  { classifyError, EXIT, UserError },
  { createOutput, detectMode },
  { secretValuesIn },
  { closestMatch },
  { parseArgv },
] = await restLoading;

const wantsJson = argv.includes('--json');
const out = createOutput({
  mode: detectMode({ json: wantsJson, plain: argv.includes('--plain') }, process.stdout, process.env),
});
// Secret-looking values of the environment are masked from the first byte, whatever the command reads later.
out.redactor.add(secretValuesIn(Object.entries(process.env)));
const controller = new AbortController();
// Ctrl-C, a CI job cancelled (SIGTERM) and a closed terminal or SSH session (SIGHUP) all stop the run the same way:
// what the command started in its own process group (an engine's migration command, a gate, a release) is not in
// this one, so only the abort stops it, and the run records how it ended. A second signal exits at once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => {
    if (stopping) process.exit(EXIT.interrupted);
    stopping = true;
    // The signal's name goes with the abort: `serve` says which one stopped it.
    controller.abort(Object.assign(new Error('interrupted'), { signal }));
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
  const parsed = parseArgv(spec, argv.slice(1));
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(spec)}\n`);
  } else {
    const handler = await (commandLoading ?? spec.load());
    const cwd = parsed.values.cwd ?? process.cwd();
    // Else every command would report what it misses there (no config, no migrations) instead of the folder.
    if (parsed.values.cwd !== undefined && !statSync(cwd, { throwIfNoEntry: false })?.isDirectory())
      throw new UserError(`--cwd ${cwd}: no such directory`, 'pass the folder that holds opsbook.yaml');
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
    // A run that failed because it was stopped (its command cancelled, say) exits as interrupted.
    exitCode =
      outcome.exitCode ?? (outcome.ok ? EXIT.ok : controller.signal.aborted ? EXIT.interrupted : EXIT.failed);
  }
} catch (error) {
  const e = classifyError(error, { aborted: controller.signal.aborted });
  exitCode = e.exitCode;
  if (e.kind === 'interrupted') {
    // A script reading --json gets its one envelope even when the run was stopped, not an empty stdout.
    if (out.mode === 'json') out.json(envelope(false, null, { error: { code: e.code, message: e.message } }));
    out.error(e.message);
  } else if (e.kind === 'internal') {
    if (out.mode === 'json') out.json(envelope(false, null, { error: { code: e.code, message: e.message } }));
    out.error(`opsbook hit a bug: ${e.message}`, 'please report it with the stack below');
    process.stderr.write(`${out.redactor.redact(String((error as Error | undefined)?.stack ?? ''))}\n`);
  } else if (e.kind !== 'reported') {
    const hint = e.kind === 'provider' ? e.body && `response: ${e.body}` : e.hint;
    if (out.mode === 'json')
      out.json(
        envelope(false, null, {
          error:
            e.kind === 'provider'
              ? { code: e.code, message: e.message, body: e.body }
              : { code: e.code, message: e.message, hint: e.hint },
        }),
      );
    else out.error(e.message, hint);
  }
}
process.exitCode = exitCode;

// The build saves the code V8 compiled for dist/vendor/ (scripts/code-cache.mjs); a test asks whether it was used.
const vendorCache = process.env.OPSBOOK_VENDOR_CACHE;
if (vendorCache === 'write' || vendorCache === 'report') {
  const vendor = await import('./vendor/index.js');
  process.stderr.write(`opsbook-vendor-cache ${JSON.stringify(vendor.vendoredCacheUse())}\n`);
  if (vendorCache === 'write') vendor.writeVendoredCaches();
}
