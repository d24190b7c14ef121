/**
 * Reads a server's TLS certificate and judges it: expired, not naming the host, untrusted, expiring soon, or fine.
 * Shared by `opsbook doctor` (tls check) and the `certificates` maintenance check, so both say the same thing.
 */
import { checkServerIdentity, connect, type PeerCertificate, rootCertificates } from 'node:tls';
// The module, not the probes barrel: that loads the database drivers, which reading a certificate never needs.
import { plainNetworkText } from '../probes/network-words.js';

export interface Peer {
  cert?: PeerCertificate;
  authorizationError?: string;
  error?: string;
}

export const isIpLiteral = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');

/** `extraCa`: PEM certificates trusted besides the public roots (an internal CA, from NODE_EXTRA_CA_CERTS). */
export function fetchCertificate(host: string, port: number, extraCa?: string): Promise<Peer> {
  return new Promise((resolve) => {
    const socket = connect({
      host,
      port,
      ...(isIpLiteral(host) ? {} : { servername: host }),
      ...(extraCa ? { ca: [...rootCertificates, extraCa] } : {}),
      // Read the certificate whatever it is: deciding what is wrong with it is the caller's job.
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

export type CertificateState = 'unreachable' | 'expired' | 'mismatch' | 'untrusted' | 'expiring' | 'ok';

export interface CertificateVerdict {
  state: CertificateState;
  found: string;
  fix?: string;
  /** ISO 8601, when a certificate was read. */
  expiresAt?: string;
  daysLeft?: number;
}

/** Judges what `fetchCertificate` read for `host`; `soonMs` is how close to expiry counts as expiring. */
export function judgeCertificate(
  host: string,
  port: number,
  peer: Peer,
  now: number,
  soonMs: number,
): CertificateVerdict {
  if (peer.error || !peer.cert?.valid_to)
    return {
      state: 'unreachable',
      found: `no TLS handshake: ${peer.error ? plainNetworkText(peer.error) : 'no certificate'}`,
      fix: `check that ${host} serves HTTPS on port ${port}`,
    };
  const expires = Date.parse(peer.cert.valid_to);
  const expiresAt = new Date(expires).toISOString();
  const daysLeft = Math.floor((expires - now) / 86_400_000);
  const dated = { expiresAt, daysLeft };
  const identity = checkServerIdentity(host, peer.cert);
  if (expires <= now || peer.authorizationError === 'CERT_HAS_EXPIRED')
    return {
      state: 'expired',
      ...dated,
      found: `the certificate expired on ${expiresAt}; browsers and clients refuse the connection`,
      fix: `renew the certificate of ${host} (on a platform custom domain: re-issue it in the dashboard and check the DNS records still point at the platform, or renewal fails again)`,
    };
  if (identity)
    return {
      state: 'mismatch',
      ...dated,
      found: `the certificate does not name ${host}: ${identity.message}`,
      fix: `issue a certificate that covers ${host}, or use the host it was issued for`,
    };
  if (peer.authorizationError)
    return {
      state: 'untrusted',
      ...dated,
      found: `the certificate is not trusted (${peer.authorizationError})`,
      fix: 'serve the full chain from a public CA (or install the CA where the clients run)',
    };
  if (expires - now < soonMs)
    return {
      state: 'expiring',
      ...dated,
      found: `the certificate expires in ${daysLeft} day(s) (${expiresAt})`,
      fix: `renew it now; automatic renewal seems not to have happened for ${host}`,
    };
  return { state: 'ok', ...dated, found: `valid until ${expiresAt} and names ${host}` };
}
