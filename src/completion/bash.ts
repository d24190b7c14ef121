/**
 * The bash completion script. Plain bash: it needs neither the bash-completion package nor its helpers.
 * `--flag=value` arrives as three words ('--flag', '=', 'value') because '=' is in COMP_WORDBREAKS.
 */
import type { CompletionCommand, CompletionFlag, CompletionModel, Values } from './model.js';
import { spellings } from './model.js';

/** The bash words that offer `values` for the word being completed, or nothing when there are none. */
function offer(values: Values): string | undefined {
  if (values.kind === 'words') return `_opsbook_offer "${values.words.join(' ')}"`;
  if (values.kind === 'files') return '_opsbook_offer @files';
  if (values.kind === 'dirs') return '_opsbook_offer @dirs';
  return undefined;
}

const flagWords = (flags: CompletionFlag[]) => flags.flatMap(spellings).join(' ');

/** The `case` clause of one command: its flags and those of them that take a value. */
function commandClause(c: CompletionCommand, globals: CompletionFlag[]): string {
  const flags = [...c.flags, ...globals];
  const takes = flags.filter((f) => f.takesValue);
  return `    ${c.name}) flags="${flagWords(flags)}"; takes=" ${flagWords(takes)} " ;;`;
}

/** The values of each flag that has known ones, for `command` (a `case` pattern: '*' for the global flags). */
function flagValueClauses(command: string, flags: CompletionFlag[]): string[] {
  return flags.flatMap((f) => {
    const action = offer(f.values);
    if (!action) return [];
    const patterns = spellings(f).map((s) => (command === '*' ? `*" ${s}"` : `"${command} ${s}"`));
    return [`    ${patterns.join('|')}) ${action} ;;`];
  });
}

function positionalClauses(commands: CompletionCommand[]): string[] {
  return commands.flatMap((c) =>
    c.positionals.flatMap((p, i) => {
      const action = offer(p.values);
      if (!action) return [];
      // A variadic positional (always the last) takes every later index too; `case` tries clauses in order.
      return [`    "${c.name} ${i}"${p.variadic ? `|"${c.name} "*` : ''}) ${action} ;;`];
    }),
  );
}

export function bashScript(model: CompletionModel): string {
  return `# opsbook completion for bash, generated from its command table by \`opsbook completion bash\`.
# Install: opsbook completion bash > ~/.local/share/bash-completion/completions/opsbook
#      or: echo 'source <(opsbook completion bash)' >> ~/.bashrc

# Completes the current word from a word list, or from file or folder names (@files, @dirs).
_opsbook_offer() {
  case "$1" in
    @files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    @dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "$1" -- "$cur")) ;;
  esac
}

# $1 command, $2 flag: the values of that flag.
_opsbook_flag_value() {
  case "$1 $2" in
${[
  ...model.commands.flatMap((c) => flagValueClauses(c.name, c.flags)),
  ...flagValueClauses('*', model.globalFlags),
].join('\n')}
  esac
}

# $1 command, $2 index of the positional argument (0 is the first after the command).
_opsbook_positional() {
  case "$1 $2" in
${positionalClauses(model.commands).join('\n')}
  esac
}

_opsbook() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="\${COMP_WORDS[1]}" flags takes
  ((COMP_CWORD > 0)) && prev="\${COMP_WORDS[COMP_CWORD - 1]}"
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    case "$cur" in
      -*) _opsbook_offer "${flagWords(model.topFlags)}" ;;
      *) _opsbook_offer "${model.commands.map((c) => c.name).join(' ')}" ;;
    esac
    return 0
  fi
  case "$cmd" in
${model.commands.map((c) => commandClause(c, model.globalFlags)).join('\n')}
    *) return 0 ;;
  esac
  # The value of a flag: '--env staging', '--env=staging' (words '--env' '=' 'staging') or '--env=' itself.
  local flag=""
  if [[ "$cur" == "=" ]]; then
    flag="$prev"; cur=""
  elif [[ "$prev" == "=" ]] && ((COMP_CWORD > 2)); then
    flag="\${COMP_WORDS[COMP_CWORD - 2]}"
  elif [[ "$takes" == *" $prev "* ]]; then
    flag="$prev"
  fi
  if [[ -n "$flag" ]]; then
    [[ "$takes" == *" $flag "* ]] && _opsbook_flag_value "$cmd" "$flag"
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    _opsbook_offer "$flags"
    return 0
  fi
  # Which positional the cursor is on: count the arguments before it that are neither flags nor their values.
  local i n=0 word
  for ((i = 2; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ "$word" == "=" ]]; then
      ((i++))
    elif [[ "$word" == -* ]]; then
      [[ "$takes" == *" $word "* && "\${COMP_WORDS[i + 1]}" != "=" ]] && ((i++))
    else
      ((n++))
    fi
  done
  _opsbook_positional "$cmd" "$n"
  return 0
}

complete -F _opsbook opsbook
`;
}
