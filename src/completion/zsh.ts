/** The zsh completion script: one `_arguments` spec per command, from the same model as bash and fish. */
import type { CompletionCommand, CompletionFlag, CompletionModel, Values } from './model.js';
import { oneLine } from './model.js';

/** A single-quoted word for the shell. */
const quoted = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Text of an `_arguments` spec, where ':' separates fields and ']' ends a description. */
const field = (s: string) => oneLine(s).replace(/[[\]:\\]/g, (c) => `\\${c}`);

function action(values: Values): string {
  if (values.kind === 'words') return `(${values.words.join(' ')})`;
  if (values.kind === 'files') return '_files';
  if (values.kind === 'dirs') return '_files -/';
  return ' ';
}

function flagSpec(f: CompletionFlag): string {
  // --env=[environment]:env: ; with a short spelling, either once: '(-e --env)'{-e,--env}'=[...]:env: '
  const rest = `${f.takesValue ? '=' : ''}[${field(f.description)}]${f.takesValue ? `:${f.long}:${action(f.values)}` : ''}`;
  const repeat = f.repeatable ? '*' : '';
  if (!f.short) return quoted(`${repeat}--${f.long}${rest}`);
  return `${quoted(f.repeatable ? '*' : `(-${f.short} --${f.long})`)}{-${f.short},--${f.long}}${quoted(rest)}`;
}

function commandSpecs(c: CompletionCommand): string[] {
  return [
    ...c.flags.map(flagSpec),
    ...c.positionals.map((p, i) =>
      quoted(`${p.variadic ? '*' : i + 1}:${field(p.description)}:${action(p.values)}`),
    ),
  ];
}

export function zshScript(model: CompletionModel): string {
  const commands = model.commands.map((c) => `    ${quoted(`${c.name}:${oneLine(c.summary)}`)}`);
  const clauses = model.commands.map(
    (c) =>
      `    ${c.name})\n      _arguments -s $globals \\\n        ${commandSpecs(c).join(' \\\n        ')}\n      ;;`,
  );
  return `#compdef opsbook
# opsbook completion for zsh, generated from its command table by \`opsbook completion zsh\`.
# Install: opsbook completion zsh > "$fpath[1]/_opsbook"   (then start a new shell)
#      or: echo 'source <(opsbook completion zsh)' >> ~/.zshrc   (after compinit)

_opsbook_command() {
  local -a commands
  commands=(
${commands.join('\n')}
  )
  _describe -t commands 'opsbook command' commands
}

_opsbook() {
  local curcontext="$curcontext" state line
  typeset -A opt_args
  local -a globals
  globals=(
    ${model.globalFlags.map(flagSpec).join('\n    ')}
  )
  _arguments -C \\
    ${model.topFlags.map(flagSpec).join(' \\\n    ')} \\
    '1: :_opsbook_command' \\
    '*:: :->args'
  [[ $state == args ]] || return
  case $words[1] in
${clauses.join('\n')}
  esac
}

if [[ "\${funcstack[1]}" == _opsbook ]]; then
  _opsbook "$@"
else
  compdef _opsbook opsbook
fi
`;
}
