import { describe, expect, it } from 'vitest';
import { createOutput } from '../output/index.js';
import type { MigrationPlan } from './plan.js';
import { printPlan } from './render.js';

function render(plan: MigrationPlan): string {
  let text = '';
  const out = createOutput({ mode: 'plain', stdout: { write: (s: string) => (text += s) } as never });
  printPlan(out, plan);
  return text;
}

const plan = (diagnostics: MigrationPlan['diagnostics']): MigrationPlan => ({
  target: 'postgres://db',
  schema: 'opsbook_migrations',
  pg: { major: 16, minor: 0 },
  entries: [],
  pending: [],
  diagnostics,
  engine: { name: 'prisma', table: '_prisma_migrations', command: 'npx prisma migrate deploy' },
});

describe('printPlan', () => {
  it('calls an empty plan without errors up to date', () => {
    expect(render(plan([]))).toContain('nothing to apply: the database is up to date');
  });

  it('does not call the database up to date when nothing is pending because of errors', () => {
    const text = render(
      plan([
        {
          severity: 'error',
          code: 'migration/failed',
          message: 'prisma/migrations/2_x/migration.sql is recorded as failed in _prisma_migrations',
        },
      ]),
    );
    expect(text).not.toContain('up to date');
    expect(text).toContain('not known to be current: 1 error below');
  });

  it('says an engine migration whose SQL it cannot see has unknown statements, not "0 statements in one transaction"', () => {
    const file = {
      version: '1',
      name: 'a',
      path: '/r/1_a.rb',
      display: 'db/migrate/1_a.rb',
      text: '',
      checksum: '',
    };
    const pending = [
      {
        version: '1',
        name: 'a',
        file,
        resumeFrom: 0,
        transactional: true,
        statements: [],
        destructive: [],
        sqlUnseen: true,
      },
    ];
    const text = render({ ...plan([]), pending });
    expect(text).toContain('db/migrate/1_a.rb: SQL not visible to opsbook');
    expect(text).not.toContain('0 statements');
  });
});
