import { afterEach, describe, expect, it } from 'vitest';
import { createFaker } from '../../../test/support/checks/secrets/fake-keys.js';
import { removeTree, writeTree } from '../../../test/support/checks/secrets/tree.js';
import { UserError } from '../../errors.js';
import { scanSecrets } from './index.js';

const f = createFaker(11);
const acme = (body = f.upperNum(20)) => `ACME${body}`;
const ghp = () => `${'ghp_'}${f.b62(36)}`;

const CONFIG = `
title = "team rules"
[extend]
useDefault = true
disabledRules = ["password-assignment"]

[[rules]]
id = "acme-token"
description = "Acme internal token"
regex = '''(?i)acme_(?:tok|key)\\s*=\\s*["']?((?-i:ACME)[A-Z0-9]{20})'''
secretGroup = 1
entropy = 2.5
keywords = ["acme_tok", "acme_key"]
  [[rules.allowlists]]
  condition = "AND"
  paths = ['''^legacy/''']
  stopwords = ["old"]

[[allowlists]]
description = "fixtures"
paths = ['''^fixtures/''']

[[allowlists]]
targetRules = ["github-pat"]
regexTarget = "line"
regexes = ['''ci-only''']
`;

let dir = '';
afterEach(() => removeTree(dir));

const found = async () =>
  (await scanSecrets({ cwd: dir, gitignore: false })).findings.map((x) => `${x.file} ${x.ruleId}`).sort();

describe('.gitleaks.toml', () => {
  it('adds rules with scoped RE2 flags, secretGroup and entropy on top of the built-in ones', async () => {
    dir = writeTree({
      '.gitleaks.toml': CONFIG,
      'app.env': `ACME_TOK = "${acme()}"\nacme_key=${acme()}\n`,
      'lower.env': `ACME_TOK=acme${f.upperNum(20).toLowerCase()}\n`,
    });
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    expect(result.ruleSource).toBe('.gitleaks.toml');
    expect(result.findings.map((x) => [x.file, x.line, x.ruleId])).toEqual([
      ['app.env', 1, 'acme-token'],
      ['app.env', 2, 'acme-token'],
    ]);
  });

  it('applies rule and global allowlists: AND conditions, paths, targeted line regexes, disabled rules', async () => {
    dir = writeTree({
      '.gitleaks.toml': CONFIG,
      'legacy/old.env': `ACME_TOK=${acme(`OLD${f.upperNum(17)}`)}\n`,
      'legacy/new.env': `ACME_TOK=${acme()}\n`,
      'other/old.env': `ACME_TOK=${acme(`OLD${f.upperNum(17)}`)}\n`,
      'fixtures/app.env': `ACME_TOK=${acme()}\n`,
      'gh.env': `GH=${ghp()} # ci-only\nGH2=${ghp()}\n`,
      'pw.env': `DB_PASSWORD=${f.b62(16)}9\n`,
    });
    expect(await found()).toEqual([
      'gh.env github-pat',
      'legacy/new.env acme-token',
      'other/old.env acme-token',
    ]);
  });

  it('replaces the built-in rules when it defines rules without [extend]', async () => {
    dir = writeTree({
      '.gitleaks.toml': `[[rules]]\nid = "only"\nregex = '''only_[0-9]{8}'''\nkeywords = ["only_"]\n`,
      'a.env': `X=only_80417362\nGH=${ghp()}\n`,
    });
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    expect(result.rules).toBe(1);
    expect(result.findings.map((x) => x.ruleId)).toEqual(['only']);
  });

  it('tunes the built-in rules when it holds only allowlists', async () => {
    dir = writeTree({
      '.gitleaks.toml': `[allowlist]\npaths = ['''^vendor/''']\n`,
      'vendor/a.env': `GH=${ghp()}\n`,
      'b.env': `GH=${ghp()}\n`,
    });
    expect(await found()).toEqual(['b.env github-pat']);
  });

  it('skips findings whose fingerprint is in .gitleaksignore', async () => {
    dir = writeTree({
      'a.env': `GH=${ghp()}\nGH2=${ghp()}\n`,
      '.gitleaksignore': '# accepted\na.env:github-pat:2\n',
    });
    const result = await scanSecrets({ cwd: dir, gitignore: false });
    expect(result.findings.map((x) => x.fingerprint)).toEqual(['a.env:github-pat:1']);
    expect(result.ignored).toBe(1);
  });

  it('reports bad TOML and untranslatable regexes as user errors with a line', async () => {
    dir = writeTree({ '.gitleaks.toml': '[[rules]]\nid = "x"\nregex = "unterminated\n' });
    await expect(scanSecrets({ cwd: dir })).rejects.toThrow(/^\.gitleaks\.toml:3:\d+: /);
    removeTree(dir);
    dir = writeTree({ '.gitleaks.toml': "\n[[rules]]\nid = \"uni\"\nregex = '''\\pL+'''\n" });
    const error = await scanSecrets({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^\.gitleaks\.toml:3: rule 'uni' regex: unicode classes/);
  });
});
