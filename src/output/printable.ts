/**
 * Text from outside (a command's output, pg_dump's messages, a table name, a query from pg_stat_statements) as it
 * may reach a terminal: control characters written as \xNN, so an escape sequence in it (set the window title, clear
 * the screen) does not act on the terminal of whoever reads it. Newlines are kept where the text is shown as lines.
 */
export const printable = (text: string, keepNewlines = false) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    keepNewlines && c === '\n' ? c : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
