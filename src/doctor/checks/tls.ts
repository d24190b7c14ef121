/** TLS: each https host's certificate, its expiry and whether it names the host (what a browser refuses). */
import { checkServerIdentity, connect, type PeerCertificate } from 'node:tls';
import { plainNetworkText } from '../network-words.js';
import { type DoctorCheck, type Finding, RANK } from '../types.js';
import { isIpLiteral, knownUrls } from '../urls.js';

const SOON_MS = 14 * 24 * 3_600_000;

interface Peer {
  cert?: PeerCertificate;
  authorizationError?: string;
  error?: string;
}

function fetchCertificate(host: string, port: number): Promise<Peer> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIpLiteral(host) ? {} : { servername: host }),
      // Read the certificate whatever it is: deciding what is wrong with it is this check's job.
      rejectUnauthorized: false,
      timeout: 5_000,
    });
    const done = (peer: Peer) => {
      socket.destroy();
      resolve(peer);
    };
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const err = socket.authorizationError;
      done({ cert, ...(err ? { authorizationError: String(err) } : {}) });
    });
    socket.once('timeout', () => done({ error: 'timed out after 5s' }));
    socket.once('error', (error) => done({ error: error.message }));
  });
}

export const tlsCheck: DoctorCheck = {
  name: 'tls',
  async run(ctx) {
    const seen = new Map<string, string | undefined>();
    for (const { url, service } of knownUrls(ctx)) {
      if (url.protocol !== 'https:') continue;
      const key = `${url.hostname}:${url.port || 443}`;
      if (!seen.has(key)) seen.set(key, service);
    }
    const findings = await Promise.all(
      [...seen].map(async ([key, service]): Promise<Finding> => {
        const [host = '', port = '443'] = [
          key.slice(0, key.lastIndexOf(':')),
          key.slice(key.lastIndexOf(':') + 1),
        ];
        const base = {
          check: 'tls',
          ...(service ? { service } : {}),
          looked: `the TLS certificate of ${key}`,
        };
        const peer = await fetchCertificate(host.replace(/^\[|\]$/g, ''), Number(port));
        if (peer.error || !peer.cert?.valid_to) {
          return {
            ...base,
            verdict: 'problem',
            rank: RANK.reachability,
            found: `no TLS handshake: ${peer.error ? plainNetworkText(peer.error) : 'no certificate'}`,
            fix: `check that ${host} serves HTTPS on port ${port}`,
          };
        }
        const expires = Date.parse(peer.cert.valid_to);
        const identity = checkServerIdentity(host, peer.cert);
        if (expires <= ctx.now() || peer.authorizationError === 'CERT_HAS_EXPIRED') {
          return {
            ...base,
            verdict: 'problem',
            rank: RANK.reachability,
            found: `the certificate expired on ${new Date(expires).toISOString()}; browsers and clients refuse the connection`,
            fix: `renew the certificate of ${host} (on a platform custom domain: re-issue it in the dashboard and check the DNS records still point at the platform, or renewal fails again)`,
          };
        }
        if (identity) {
          return {
            ...base,
            verdict: 'problem',
            rank: RANK.reachability,
            found: `the certificate does not name ${host}: ${identity.message}`,
            fix: `issue a certificate that covers ${host}, or use the host it was issued for`,
          };
        }
        if (peer.authorizationError) {
          return {
            ...base,
            verdict: 'problem',
            rank: RANK.reachability,
            found: `the certificate is not trusted (${peer.authorizationError})`,
            fix: 'serve the full chain from a public CA (or install the CA where the clients run)',
          };
        }
        const left = expires - ctx.now();
        if (left < SOON_MS) {
          return {
            ...base,
            verdict: 'warning',
            rank: RANK.reachability,
            found: `the certificate expires in ${Math.floor(left / 86_400_000)} day(s) (${new Date(expires).toISOString()})`,
            fix: `renew it now; automatic renewal seems not to have happened for ${host}`,
          };
        }
        return {
          ...base,
          verdict: 'ok',
          rank: RANK.reachability,
          found: `valid until ${new Date(expires).toISOString()} and names ${host}`,
        };
      }),
    );
    return findings;
  },
};
