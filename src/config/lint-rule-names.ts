/**
 * The names `migrations.rules` and `-- opsbook-ignore` accept: the migration linter's rules, parse errors and the
 * runner's reference check. Kept here, not read from the linter, so that validating a config neither loads the
 * linter nor makes config depend on migrations; a test beside the linter's rules checks that the two lists agree.
 */
export const LINT_RULE_NAMES: readonly string[] = [
  'adding-field-with-default',
  'adding-foreign-key-constraint',
  'adding-not-nullable-field',
  'adding-required-field',
  'adding-serial-primary-key-field',
  'ban-char-field',
  'ban-concurrent-index-creation-in-transaction',
  'ban-drop-column',
  'ban-drop-database',
  'ban-drop-table',
  'ban-uncommitted-transaction',
  'changing-column-type',
  'concurrent-index-corruption-risk',
  'constraint-missing-not-valid',
  'disallowed-unique-constraint',
  'heavy-table-lock',
  'prefer-bigint-over-int',
  'prefer-bigint-over-smallint',
  'prefer-identity',
  'prefer-robust-stmts',
  'prefer-text-field',
  'prefer-timestamp-tz',
  'renaming-column',
  'renaming-table',
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'require-concurrent-reindex',
  'require-lock-timeout',
  'require-statement-timeout',
  'still-referenced',
  'syntax-error',
  'transaction-nesting',
];
