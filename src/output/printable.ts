/**
 * Text from outside (a command's output, pg_dump's messages, a table name, an endpoint's body, a calendar's title) as
 * it may reach a terminal, a log or a page: control characters written as \xNN, so an escape sequence in it (set the
 * window title, clear the screen, a CR that hides what came before) does not act on the terminal of whoever reads it.
 */
export interface Kept {
  /** Shown as lines: newlines stay. */
  newlines?: boolean;
  /** Stack traces and aligned columns: tabs stay. */
  tabs?: boolean;
  /** The colour codes (SGR) opsbook's own styling adds, when colour is on. */
  colour?: boolean;
  /** Colour codes dropped: decoration in a platform's or an app's text (build logs are full of them). */
  dropColour?: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /\u001b\[[0-9;:]*m|[\u0000-\u001f\u007f-\u009f]/g;
const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

export function printable(text: string, kept: Kept = {}): string {
  return text.replace(CONTROL, (c) => {
    // A colour code not kept is shown like any escape: its ESC as \x1b.
    if (c.length > 1) return kept.colour ? c : kept.dropColour ? '' : `${hex(c)}${c.slice(1)}`;
    if ((c === '\n' && kept.newlines) || (c === '\t' && kept.tabs)) return c;
    return hex(c);
  });
}

/** A platform's or an app's text (a log line, a failure reason, an error body): colour dropped, tabs kept. */
export const terminalSafe = (text: string): string => printable(text, { tabs: true, dropColour: true });
