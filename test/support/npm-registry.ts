// A loopback npm registry with the endpoints `npm audit` and `npm outdated` call: packuments and the bulk
// advisory endpoint. Tests point npm at it with --registry / npm_config_registry, so nothing reaches the internet.
import { gunzipSync } from 'node:zlib';
import { startServer, type TestServer } from './http-server.js';

export interface FakePackage {
  /** Published versions, oldest first; the last is `latest`. */
  versions: string[];
  /** Advisories against this package, in the shape of the registry's bulk advisory response. */
  advisories?: {
    id: number;
    title: string;
    severity: 'low' | 'moderate' | 'high' | 'critical';
    range: string;
  }[];
}

export interface NpmRegistry extends TestServer {
  /** The advisory queries received (package name -> versions asked about). */
  readonly auditQueries: Record<string, string[]>[];
}

export async function startNpmRegistry(packages: Record<string, FakePackage>): Promise<NpmRegistry> {
  const auditQueries: Record<string, string[]>[] = [];
  let url = '';
  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && path === '/-/npm/v1/security/advisories/bulk') {
        let raw = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        const query = JSON.parse(raw.toString() || '{}') as Record<string, string[]>;
        auditQueries.push(query);
        const out: Record<string, unknown[]> = {};
        for (const name of Object.keys(query)) {
          const advisories = packages[name]?.advisories ?? [];
          if (advisories.length)
            out[name] = advisories.map((a) => ({
              id: a.id,
              url: `https://github.com/advisories/GHSA-fake-${a.id}`,
              title: a.title,
              severity: a.severity,
              vulnerable_versions: a.range,
              cwe: [],
              cvss: { score: 0, vectorString: null },
            }));
        }
        return json(200, out);
      }
      const name = path.slice(1);
      const pkg = packages[name];
      if (req.method !== 'GET' || !pkg) return json(404, { error: 'Not found' });
      const latest = pkg.versions.at(-1)!;
      const versions = Object.fromEntries(
        pkg.versions.map((v) => [
          v,
          {
            name,
            version: v,
            dist: {
              tarball: `${url}/${name}/-/${name}-${v}.tgz`,
              shasum: '0000000000000000000000000000000000000000',
            },
          },
        ]),
      );
      return json(200, { name, 'dist-tags': { latest }, versions, modified: '2026-01-01T00:00:00.000Z' });
    });
  });
  url = server.url;
  return Object.assign(server, { auditQueries });
}
