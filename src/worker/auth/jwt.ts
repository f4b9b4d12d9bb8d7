import { createHmac, timingSafeEqual } from 'node:crypto';
import { hexToBytes, isHex, type Hex } from 'viem';

/**
 * Worker JWT (worker-api.md §2.3–2.4): HS256, header `{"alg":"HS256"}` and claims
 * `aud`, `iat`, `exp`, `sub` in that order, as jjwt writes them. The token is opaque to workers.
 */

export interface WorkerJwtClaims {
  walletAddress: string;
  audience: string;
  issuedAtSeconds: number;
  ttlSeconds: number;
}

export type JwtRejection =
  'malformed' | 'bad-signature' | 'expired' | 'wrong-audience' | 'unsigned';

export type JwtVerification =
  | { ok: true; walletAddress: string; /** `exp` claim, epoch seconds. */ expiresAt: number }
  | { ok: false; reason: JwtRejection };

const HEADER = base64url(JSON.stringify({ alg: 'HS256' }));
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
const MIN_SECRET_BYTES = 32;

export const WORKER_JWT_LABEL = 'iexec-core-ts/worker-jwt/v1';

/** The derivation label of a secret generation; generation 0 keeps the original label. */
export function workerJwtLabel(generation: number): string {
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new Error(`workerJwtLabel: the generation must be an integer >= 0, got ${generation}`);
  }
  return generation === 0 ? WORKER_JWT_LABEL : `${WORKER_JWT_LABEL}#${generation}`;
}

/**
 * A stable JWT secret: HMAC-SHA256(key = scheduler private key, data = label). Unlike the
 * reference's per-process random secret, tokens survive a restart with the same wallet; a new
 * label ({@link workerJwtLabel}) rotates it without changing the wallet.
 */
export function deriveJwtSecret(
  schedulerPrivateKey: Hex,
  label: string = WORKER_JWT_LABEL,
): Uint8Array {
  if (!isHex(schedulerPrivateKey, { strict: true }) || schedulerPrivateKey.length !== 66) {
    throw new Error('deriveJwtSecret: the private key must be 32 bytes of 0x-prefixed hex');
  }
  return new Uint8Array(
    createHmac('sha256', hexToBytes(schedulerPrivateKey)).update(label, 'utf8').digest(),
  );
}

export function signWorkerJwt(claims: WorkerJwtClaims, secret: Uint8Array): string {
  const { walletAddress, audience, issuedAtSeconds, ttlSeconds } = claims;
  if (!Number.isSafeInteger(issuedAtSeconds) || !Number.isSafeInteger(ttlSeconds)) {
    throw new Error('signWorkerJwt: issuedAtSeconds and ttlSeconds must be integers');
  }
  if (secret.length < MIN_SECRET_BYTES)
    throw new Error('signWorkerJwt: HS256 needs a secret of at least 32 bytes');
  const payload = base64url(
    JSON.stringify({
      aud: audience,
      iat: issuedAtSeconds,
      exp: issuedAtSeconds + ttlSeconds,
      sub: walletAddress,
    }),
  );
  const signingInput = `${HEADER}.${payload}`;
  return `${signingInput}.${hmac(signingInput, secret).toString('base64url')}`;
}

/**
 * Checks, in order: structure, algorithm (unsigned tokens and `alg: none` are refused), HS256
 * signature (constant time), expiry (`exp <= now` is expired, no skew), audience.
 */
export function verifyWorkerJwt(
  token: string,
  secret: Uint8Array,
  expected: { audience: string; nowSeconds: number },
): JwtVerification {
  if (typeof token !== 'string') return reject('malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) return reject('malformed');
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJsonObject(headerPart);
  const payload = decodeJsonObject(payloadPart);
  if (!header || !payload || typeof header.alg !== 'string') return reject('malformed');

  if (header.alg === 'none' || signaturePart === '') return reject('unsigned');
  if (header.alg !== 'HS256') return reject('bad-signature');
  // Compare the canonical text, so no alternative encoding of the same bytes is accepted.
  const actual = Buffer.from(signaturePart, 'utf8');
  const wanted = Buffer.from(
    hmac(`${headerPart}.${payloadPart}`, secret).toString('base64url'),
    'utf8',
  );
  if (actual.length !== wanted.length || !timingSafeEqual(actual, wanted))
    return reject('bad-signature');

  const { exp, aud, sub } = payload;
  if (typeof exp !== 'number' || !Number.isFinite(exp) || typeof sub !== 'string' || sub === '') {
    return reject('malformed');
  }
  if (exp <= expected.nowSeconds) return reject('expired');
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.audience)) return reject('wrong-audience');
  return { ok: true, walletAddress: sub, expiresAt: exp };
}

function reject(reason: JwtRejection): JwtVerification {
  return { ok: false, reason };
}

function hmac(data: string, secret: Uint8Array): Buffer {
  return createHmac('sha256', secret).update(data, 'utf8').digest();
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
