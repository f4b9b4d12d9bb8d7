import { createHmac } from 'node:crypto';
import {
  deriveJwtSecret,
  signWorkerJwt,
  verifyWorkerJwt,
  WORKER_JWT_LABEL,
  workerJwtLabel,
} from '../../../src/worker/auth/jwt.js';

const SECRET = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_SECRET = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const AUDIENCE = 'iExec Scheduler v8.5.0';
const WALLET = '0x108ca59d5d0eec2ff66003f8909eb40addd1a67d';
const IAT = 1_700_000_000;
const claims = {
  walletAddress: WALLET,
  audience: AUDIENCE,
  issuedAtSeconds: IAT,
  ttlSeconds: 3600,
};
const expected = { audience: AUDIENCE, nowSeconds: IAT + 10 };

// Computed independently (Python hmac/base64) for SECRET = bytes 0..31 and the claims above.
const VECTOR =
  'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJpRXhlYyBTY2hlZHVsZXIgdjguNS4wIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDM2MDAsInN1YiI6IjB4MTA4Y2E1OWQ1ZDBlZWMyZmY2NjAwM2Y4OTA5ZWI0MGFkZGQxYTY3ZCJ9.L60lkMCgqlBVYLQ8n1eyOEufFFyMs9NYc89VwO3ue5c';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const part = (token: string, i: number) => token.split('.')[i];
const decode = (token: string, i: number): unknown =>
  JSON.parse(Buffer.from(part(token, i), 'base64url').toString());
const hs256 = (input: string, secret: Uint8Array) =>
  createHmac('sha256', secret).update(input).digest('base64url');

describe('signWorkerJwt', () => {
  it('reproduces an independently computed token byte for byte', () => {
    expect(signWorkerJwt(claims, SECRET)).toBe(VECTOR);
  });

  it('writes the jjwt header and the claims aud, iat, exp (= iat + ttl), sub in that order', () => {
    const token = signWorkerJwt(claims, SECRET);
    expect(Buffer.from(part(token, 0), 'base64url').toString()).toBe('{"alg":"HS256"}');
    expect(Buffer.from(part(token, 1), 'base64url').toString()).toBe(
      `{"aud":"${AUDIENCE}","iat":${IAT},"exp":${IAT + 3600},"sub":"${WALLET}"}`,
    );
    expect(token).not.toContain('=');
  });

  it('keeps the wallet string verbatim in sub', () => {
    const mixed = '0x108CA59d5d0eec2ff66003f8909eb40addd1a67d';
    expect(decode(signWorkerJwt({ ...claims, walletAddress: mixed }, SECRET), 1)).toMatchObject({
      sub: mixed,
    });
  });

  it('refuses a secret shorter than 32 bytes and non-integer times', () => {
    expect(() => signWorkerJwt(claims, new Uint8Array(31))).toThrow();
    expect(() => signWorkerJwt({ ...claims, issuedAtSeconds: 1.5 }, SECRET)).toThrow();
    expect(() => signWorkerJwt({ ...claims, ttlSeconds: NaN }, SECRET)).toThrow();
  });
});

describe('verifyWorkerJwt (§2.4, §14 item 4)', () => {
  it('round-trips: identity is sub, expiresAt is exp', () => {
    expect(verifyWorkerJwt(VECTOR, SECRET, expected)).toEqual({
      ok: true,
      walletAddress: WALLET,
      expiresAt: IAT + 3600,
    });
  });

  it('identifies the wallet it was issued for, not another one', () => {
    const other = '0x2d29bfbec903479fe4ba991918bab99b494f2bef';
    const token = signWorkerJwt({ ...claims, walletAddress: other }, SECRET);
    const result = verifyWorkerJwt(token, SECRET, expected);
    expect(result).toMatchObject({ ok: true, walletAddress: other });
    expect(token).not.toBe(VECTOR);
  });

  it('rejects a wrong audience', () => {
    const token = signWorkerJwt({ ...claims, audience: 'iExec Scheduler v8.4.0' }, SECRET);
    expect(verifyWorkerJwt(token, SECRET, expected)).toEqual({
      ok: false,
      reason: 'wrong-audience',
    });
  });

  it('accepts an audience array containing the expected value', () => {
    const payload = b64({ aud: ['x', AUDIENCE], iat: IAT, exp: IAT + 60, sub: WALLET });
    const input = `${part(VECTOR, 0)}.${payload}`;
    expect(verifyWorkerJwt(`${input}.${hs256(input, SECRET)}`, SECRET, expected)).toMatchObject({
      ok: true,
    });
  });

  it('rejects an already expired token (exp = iat), with no clock skew', () => {
    const token = signWorkerJwt({ ...claims, ttlSeconds: 0 }, SECRET);
    expect(verifyWorkerJwt(token, SECRET, { audience: AUDIENCE, nowSeconds: IAT })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyWorkerJwt(VECTOR, SECRET, { audience: AUDIENCE, nowSeconds: IAT + 3600 })).toEqual(
      {
        ok: false,
        reason: 'expired',
      },
    );
    expect(
      verifyWorkerJwt(VECTOR, SECRET, { audience: AUDIENCE, nowSeconds: IAT + 3599.999 }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('rejects unsigned tokens: alg none, or an empty signature', () => {
    const payload = part(VECTOR, 1);
    expect(verifyWorkerJwt(`${b64({ alg: 'none' })}.${payload}.`, SECRET, expected)).toEqual({
      ok: false,
      reason: 'unsigned',
    });
    expect(verifyWorkerJwt(`${part(VECTOR, 0)}.${payload}.`, SECRET, expected)).toEqual({
      ok: false,
      reason: 'unsigned',
    });
    // alg none with a signature that would be valid for HS256 is still unsigned.
    const input = `${b64({ alg: 'none' })}.${payload}`;
    expect(verifyWorkerJwt(`${input}.${hs256(input, SECRET)}`, SECRET, expected)).toEqual({
      ok: false,
      reason: 'unsigned',
    });
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyWorkerJwt(signWorkerJwt(claims, OTHER_SECRET), SECRET, expected)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects another algorithm even when its HMAC would match', () => {
    const input = `${b64({ alg: 'HS512' })}.${part(VECTOR, 1)}`;
    expect(verifyWorkerJwt(`${input}.${hs256(input, SECRET)}`, SECRET, expected)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects a tampered payload (another wallet, longer expiry)', () => {
    const forged = b64({
      aud: AUDIENCE,
      iat: IAT,
      exp: IAT + 3600,
      sub: '0x2d29bfbec903479fe4ba991918bab99b494f2bef',
    });
    expect(
      verifyWorkerJwt(`${part(VECTOR, 0)}.${forged}.${part(VECTOR, 2)}`, SECRET, expected),
    ).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const later = b64({ aud: AUDIENCE, iat: IAT, exp: IAT + 99999, sub: WALLET });
    expect(
      verifyWorkerJwt(`${part(VECTOR, 0)}.${later}.${part(VECTOR, 2)}`, SECRET, expected),
    ).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('rejects a non-canonical encoding of the right signature', () => {
    const sig = part(VECTOR, 2);
    // The last base64url char of a 32-byte value carries 2 unused bits: flip one.
    const last = sig.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1];
    const tampered = `${part(VECTOR, 0)}.${part(VECTOR, 1)}.${sig.slice(0, -1)}${twin}`;
    expect(Buffer.from(sig.slice(0, -1) + twin, 'base64url')).toEqual(
      Buffer.from(sig, 'base64url'),
    );
    expect(verifyWorkerJwt(tampered, SECRET, expected)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it.each([
    ['empty', ''],
    ['garbage', 'garbage'],
    ['two parts', 'a.b'],
    ['four parts', `${VECTOR}.x`],
    ['not base64url', `${part(VECTOR, 0)}.${part(VECTOR, 1)}+.${part(VECTOR, 2)}`],
    ['payload not JSON', `${part(VECTOR, 0)}.bm90IGpzb24.${part(VECTOR, 2)}`],
    ['payload a JSON array', `${part(VECTOR, 0)}.${b64([1])}.${part(VECTOR, 2)}`],
    ['header without alg', `${b64({ typ: 'JWT' })}.${part(VECTOR, 1)}.${part(VECTOR, 2)}`],
    ['Bearer prefix left on', `Bearer ${VECTOR}`],
  ])('rejects a malformed token: %s', (_label, token) => {
    expect(verifyWorkerJwt(token, SECRET, expected)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a correctly signed token without sub or exp as malformed', () => {
    for (const payload of [
      { aud: AUDIENCE, iat: IAT, exp: IAT + 60 },
      { aud: AUDIENCE, iat: IAT, exp: IAT + 60, sub: '' },
      { aud: AUDIENCE, iat: IAT, sub: WALLET },
      { aud: AUDIENCE, iat: IAT, exp: String(IAT + 60), sub: WALLET },
    ]) {
      const input = `${part(VECTOR, 0)}.${b64(payload)}`;
      expect(verifyWorkerJwt(`${input}.${hs256(input, SECRET)}`, SECRET, expected)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('verifies the RFC 7515 A.1 HS256 example signature (then lacks our claims)', () => {
    const key = Buffer.from(
      'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
      'base64url',
    );
    const token =
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(verifyWorkerJwt(token, key, expected)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWorkerJwt(token, SECRET, expected)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });
});

describe('deriveJwtSecret', () => {
  const KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';

  it('is HMAC-SHA256(key = private key bytes, data = label): independent vector', () => {
    expect(Buffer.from(deriveJwtSecret(KEY)).toString('hex')).toBe(
      '757010b470927c77d7651e62b0a5537bdbcf702ee8de744515ea415957ff064c',
    );
    expect(WORKER_JWT_LABEL).toBe('iexec-core-ts/worker-jwt/v1');
    expect(Buffer.from(deriveJwtSecret(KEY, 'other')).toString('hex')).toBe(
      '669b84a6b6a41b8c431b9594c8560940f2272d73b6e0c9fb11dd770eb32d41fc',
    );
  });

  it('is deterministic, so a restart with the same wallet keeps tokens valid', () => {
    const token = signWorkerJwt(claims, deriveJwtSecret(KEY));
    expect(verifyWorkerJwt(token, deriveJwtSecret(KEY), expected)).toMatchObject({ ok: true });
    const otherKey = '0x0000000000000000000000000000000000000000000000000000000000000001';
    expect(verifyWorkerJwt(token, deriveJwtSecret(otherKey), expected)).toMatchObject({
      ok: false,
    });
  });

  it('rotates with the generation: generation 0 keeps the original label, others revoke its tokens', () => {
    expect(workerJwtLabel(0)).toBe(WORKER_JWT_LABEL);
    expect(workerJwtLabel(2)).toBe('iexec-core-ts/worker-jwt/v1#2');
    const token = signWorkerJwt(claims, deriveJwtSecret(KEY, workerJwtLabel(0)));
    const rotated = deriveJwtSecret(KEY, workerJwtLabel(1));
    expect(verifyWorkerJwt(token, rotated, expected)).toMatchObject({ ok: false });
    expect(() => workerJwtLabel(-1)).toThrow(/integer >= 0/);
    expect(() => workerJwtLabel(1.5)).toThrow(/integer >= 0/);
  });

  it('refuses something that is not a 32-byte hex private key', () => {
    expect(() => deriveJwtSecret('0x1234')).toThrow();
    expect(() => deriveJwtSecret(`0x${'zz'.repeat(32)}` as `0x${string}`)).toThrow();
  });
});
