/** Text from outside (a platform, a status page) made safe to print on a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const COLOUR = /\u001b\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * A platform's text as it may reach a terminal: colour codes (build logs are full of them) dropped, any other control
 * character written as \xNN. An escape sequence in a log line or an error body (clear the screen, set the window
 * title) would otherwise act on the terminal of whoever runs or reads the deploy.
 */
export function terminalSafe(text: string): string {
  return text
    .replace(COLOUR, '')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
