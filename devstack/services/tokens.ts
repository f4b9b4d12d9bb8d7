// Dependency-free helpers of the stand-ins: HS256 JWTs (the Result Proxy tokens)
// and IPFS-like result links.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export interface JwtSigner {
  sign(claims: Record<string, unknown>): string;
  /** The claims of a token this signer issued, or undefined (bad shape, signature or expiry). */
  verify(token: string): Record<string, unknown> | undefined;
}

/** HS256 JWTs under a random per-instance secret: tokens die with the stand-in. */
export function jwtSigner(ttlSeconds: number, secret: Buffer = randomBytes(32)): JwtSigner {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const mac = (input: string) => createHmac('sha256', secret).update(input).digest();
  return {
    sign(claims) {
      const iat = Math.floor(Date.now() / 1000);
      const payload = b64url(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
      return `${header}.${payload}.${b64url(mac(`${header}.${payload}`))}`;
    },
    verify(token) {
      const parts = token.split('.');
      if (parts.length !== 3 || parts[0] !== header) return undefined;
      const expected = mac(`${parts[0]}.${parts[1]}`);
      const given = Buffer.from(parts[2], 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<
          string,
          unknown
        >;
        if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return undefined;
        return claims;
      } catch {
        return undefined;
      }
    },
  };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

export function base58(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/**
 * `Qm…`: a CIDv0-shaped multihash (sha2-256) of the bytes. Deterministic like IPFS, but over the
 * raw bytes, not a UnixFS DAG: it is not the hash a real IPFS node would give the same file.
 */
export function ipfsLikeHash(bytes: Uint8Array): string {
  const digest = createHash('sha256').update(bytes).digest();
  return base58(Buffer.concat([Buffer.from([0x12, 0x20]), digest]));
}
