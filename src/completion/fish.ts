/**
 * The fish completion script. Conditions are our own functions that read the command line by position, not
 * `__fish_seen_subcommand_from`, which would take `opsbook env check` for the `check` command.
 */
import type { CompletionCommand, CompletionFlag, CompletionModel, Values } from './model.js';
import { oneLine, spellings } from './model.js';

const quote = (s: string) => `'${oneLine(s).replace(/[\\']/g, (c) => `\\${c}`)}'`;

function valueArgs(values: Values): string {
  if (values.kind === 'words') return ` -a ${quote(values.words.join(' '))}`;
  if (values.kind === 'files') return ' -F';
  if (values.kind === 'dirs') return ` -a '(__fish_complete_directories)'`;
  return '';
}

function flagLine(condition: string, f: CompletionFlag): string {
  const short = f.short ? ` -s ${f.short}` : '';
  // -r: takes a value; -x: takes one, and it is not a file name.
  const value = f.takesValue ? ` ${f.values.kind === 'files' ? '-r' : '-x'}${valueArgs(f.values)}` : '';
  return `complete -c opsbook -n ${quote(condition)}${short} -l ${f.long}${value} -d ${quote(f.description)}`;
}

function commandLines(c: CompletionCommand): string[] {
  return [
    `complete -c opsbook -n __opsbook_needs_command -a ${c.name} -d ${quote(c.summary)}`,
    ...c.flags.map((f) => flagLine(`__opsbook_is ${c.name}`, f)),
    ...c.positionals.flatMap((p, i) => {
      const args = valueArgs(p.values);
      if (!args) return [];
      const condition = `__opsbook_arg ${c.name} ${i}${p.variadic ? ' more' : ''}`;
      return [`complete -c opsbook -n ${quote(condition)}${args} -d ${quote(p.description)}`];
    }),
  ];
}

function valueFlagCases(commands: CompletionCommand[]): string[] {
  return commands.map((c) => {
    const takes = c.flags.filter((f) => f.takesValue).flatMap(spellings);
    return `        case ${c.name}\n            ${takes.length ? `printf '%s\\n' ${takes.join(' ')}` : 'true'}`;
  });
}

export function fishScript(model: CompletionModel): string {
  return `# opsbook completion for fish, generated from its command table by \`opsbook completion fish\`.
# Install: opsbook completion fish > ~/.config/fish/completions/opsbook.fish

function __opsbook_needs_command
    test (count (commandline -opc)) -eq 1
end

function __opsbook_is --argument-names name
    set -l tokens (commandline -opc)
    test (count $tokens) -ge 2; and test "$tokens[2]" = "$name"
end

# The flags of a command that take a value: the word after one is its value, not an argument.
function __opsbook_value_flags --argument-names name
    printf '%s\\n' ${model.globalFlags
      .filter((f) => f.takesValue)
      .flatMap(spellings)
      .join(' ')}
    switch $name
${valueFlagCases(model.commands).join('\n')}
    end
end

# True when the word being completed is positional argument INDEX (0: the first) of command NAME; with 'more',
# any later one too.
function __opsbook_arg --argument-names name index more
    __opsbook_is $name; or return 1
    set -l tokens (commandline -opc)
    set -e tokens[1 2]
    set -l takes (__opsbook_value_flags $name)
    set -l n 0
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
        else if string match -q -- '--*=*' $token
        else if string match -q -- '-*' $token
            contains -- $token $takes; and set skip 1
        else
            set n (math $n + 1)
        end
    end
    test $n -eq $index; or begin; test -n "$more"; and test $n -gt $index; end
end

complete -c opsbook -f
${model.topFlags.map((f) => flagLine('__opsbook_needs_command', f)).join('\n')}
${model.globalFlags.map((f) => flagLine('not __opsbook_needs_command', f)).join('\n')}
${model.commands.flatMap(commandLines).join('\n')}
`;
}
