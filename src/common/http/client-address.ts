import { isIP } from 'node:net';

/** Loopback and private peers are taken for a reverse proxy (an ingress) in front of us. */
function isProxyPeer(address: string): boolean {
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  return ip === '::1' || /^f[cd]/i.test(ip);
}

/**
 * The client a request or push session counts against (rate limits, session bounds): its TCP peer, or, when that peer is a proxy on a private
 * network, the first address of X-Forwarded-For / X-Real-IP. A spoofed header can only move a
 * request to another client's count; global bounds still hold.
 */
export function clientOf(remoteAddress: string | undefined, headers: Record<string, string> = {}) {
  const peer = remoteAddress ?? 'unknown';
  if (!isProxyPeer(peer)) return peer;
  const forwarded = headers['x-forwarded-for']?.split(',')[0]?.trim() || headers['x-real-ip'];
  return forwarded || peer;
}
