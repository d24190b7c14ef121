/** The one mask every hidden secret is replaced with, wherever it was hidden (text, URLs, connection strings). */
export const MASK = '[REDACTED]';
