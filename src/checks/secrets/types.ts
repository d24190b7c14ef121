/** Plain-data shapes of the scanner: rules travel to worker threads by structured clone, so no functions or RegExps here. */

export interface RegexSpec {
  source: string;
  flags: string;
}

/** A gitleaks allowlist: `condition` OR (any criterion matches) or AND (every given criterion matches). */
export interface AllowlistSpec {
  description?: string;
  condition: 'OR' | 'AND';
  commits: string[];
  paths: RegexSpec[];
  regexes: RegexSpec[];
  regexTarget: 'secret' | 'match' | 'line';
  /** Case-insensitive substrings of the secret. */
  stopwords: string[];
  /** Global allowlists only: restrict to these rule ids. */
  targetRules?: string[];
}

/** Extra checks the TOML format cannot express, referenced by name so rules stay cloneable. */
export type ValidatorName =
  | 'generic-assignment'
  | 'generic-password'
  | 'supabase-service-jwt'
  | 'private-key'
  | 'connection-url';

export interface RuleSpec {
  id: string;
  description: string;
  regex?: RegexSpec;
  /** 0 or absent: the first non-empty capture group, else the whole match (gitleaks semantics). */
  secretGroup?: number;
  /** Minimum Shannon entropy of the secret; the finding needs strictly more. */
  entropy?: number;
  /** Lower-case literals; the regex runs only near an occurrence of one. Empty: runs on the whole text. */
  keywords: string[];
  /** Path regex: alone, a path-only rule; with `regex`, limits the rule to matching paths. */
  path?: RegexSpec;
  allowlists: AllowlistSpec[];
  validator?: ValidatorName;
  /** The match may span lines (PEM blocks): keyword windows are not clipped at line ends. */
  multiline?: boolean;
}

export interface RuleSet {
  rules: RuleSpec[];
  allowlists: AllowlistSpec[];
  /** Where rules came from, for the report: `built-in` or a .gitleaks.toml path. */
  source: string;
}

/** One finding. It never holds the secret: only a redacted prefix and a SHA-256 hash. */
export interface SecretFinding {
  ruleId: string;
  description: string;
  /** Relative to the scan's cwd, with forward slashes. */
  file: string;
  line: number;
  column: number;
  /** At most the first 4 characters and `…`. */
  redacted: string;
  /** SHA-256 (hex) of the secret: the baseline key together with rule and file. */
  secretHash: string;
  entropy: number;
  /** gitleaks fingerprint, as `.gitleaksignore` lists it: `[commit:]file:rule:line`. */
  fingerprint: string;
  commit?: string;
  author?: string;
  date?: string;
}

/** `special`: a FIFO, socket or device; `outside-root`: a symlink leading out of the scanned folder. */
export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'special' | 'outside-root';

export interface SkippedFile {
  file: string;
  reason: SkipReason;
  size?: number;
}
