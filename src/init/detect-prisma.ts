/** prisma/: migrations applied by `prisma migrate deploy`; the datasource provider names the database engine. */
import { inDir, isDir, readText } from './files.js';
import type { DirContext, Finding } from './types.js';

const PROVIDERS: Record<string, string> = {
  postgresql: 'postgres',
  postgres: 'postgres',
  mysql: 'mysql',
  sqlite: 'sqlite',
  sqlserver: 'sqlserver',
  mongodb: 'mongodb',
  cockroachdb: 'cockroachdb',
};

export async function detectPrisma({ repo, dir }: DirContext): Promise<Finding> {
  const schemaPath = inDir(dir, 'prisma/schema.prisma');
  const schema = await readText(repo, schemaPath);
  const migrationsDir = inDir(dir, 'prisma/migrations');
  if (schema === undefined && !isDir(repo, migrationsDir)) return {};
  const datasource = schema && /datasource\s+\w+\s*\{[^}]*\}/.exec(schema)?.[0];
  const provider = datasource && /provider\s*=\s*"(\w+)"/.exec(datasource)?.[1];
  // `prisma migrate` connects through directUrl when there is one (a pooled url cannot run migrations).
  const urlEnv =
    datasource &&
    (/directUrl\s*=\s*env\(\s*"(\w+)"\s*\)/.exec(datasource)?.[1] ??
      /\burl\s*=\s*env\(\s*"(\w+)"\s*\)/.exec(datasource)?.[1]);
  const command = dir ? `npx prisma migrate deploy --schema ${schemaPath}` : 'npx prisma migrate deploy';
  const source = schema === undefined ? migrationsDir : schemaPath;
  return {
    sources: [source],
    migrations: [
      {
        engine: 'prisma',
        dir: migrationsDir,
        command,
        root: dir,
        source,
        ...(provider && PROVIDERS[provider] ? { database: PROVIDERS[provider] } : {}),
        ...(urlEnv && urlEnv !== 'DATABASE_URL' ? { urlEnv } : {}),
      },
    ],
  };
}
