import { bytesToHex, hexToBytes, keccak256 } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import {
  isLoginSignatureValid,
  loginDigest,
  newChallenge,
} from '../../../src/worker/auth/login-signature.js';

// worker-api.md §13, worker login signature.
const WALLET = '0x108ca59d5d0eec2ff66003f8909eb40addd1a67d';
const CHALLENGE = 'challenge';
const GOOD =
  '0xf11e72d3a1d6e13c5187862cfa0342f135909f36c369e01f2392ad19daee781377328a1441ac993f518d7024aafed664508d8dadf42ebdd97394ebfeb5b837121c';
const BAD =
  '0xab5861286e8ef54febad4e606d7e7f32bec8e017a909bfa54e95ad6a7d42dc3f1cab39bacff7aeb15514d41750a3d7da0b21759063c50db1a8ac378062977ba51b';

const KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';
const KEY_ADDRESS = privateKeyToAccount(KEY).address;

describe('loginDigest', () => {
  it('is keccak256 of the lenient bytes (§13 vector)', () => {
    expect(loginDigest(CHALLENGE)).toBe(
      '0x795a02268962015518a88faa7fadb4cff5a4305778ef0ef9187acf3f36f70de1',
    );
    expect(loginDigest(CHALLENGE)).toBe(keccak256('0x0cfaefdffe'));
  });
});

describe('isLoginSignatureValid (§2.2)', () => {
  it('accepts the §13 good signature', () => {
    expect(isLoginSignatureValid(CHALLENGE, GOOD, WALLET)).toBe(true);
  });

  it('rejects the §13 bad signature', () => {
    expect(isLoginSignatureValid(CHALLENGE, BAD, WALLET)).toBe(false);
  });

  it('compares the wallet case-insensitively', () => {
    // Java equalsIgnoreCase: even the prefix case does not matter.
    expect(isLoginSignatureValid(CHALLENGE, GOOD, WALLET.toUpperCase())).toBe(true);
    expect(
      isLoginSignatureValid(CHALLENGE, GOOD, '0x108CA59D5D0EEC2FF66003F8909EB40ADDD1A67D'),
    ).toBe(true);
  });

  it('rejects another wallet, another challenge', () => {
    expect(isLoginSignatureValid(CHALLENGE, GOOD, KEY_ADDRESS)).toBe(false);
    expect(isLoginSignatureValid('challenge2', GOOD, WALLET)).toBe(false);
  });

  it('ignores v: any v byte, or none at all (64 bytes)', () => {
    expect(isLoginSignatureValid(CHALLENGE, `${GOOD.slice(0, -2)}1b`, WALLET)).toBe(true);
    expect(isLoginSignatureValid(CHALLENGE, `${GOOD.slice(0, -2)}00`, WALLET)).toBe(true);
    expect(isLoginSignatureValid(CHALLENGE, GOOD.slice(0, -2), WALLET)).toBe(true);
  });

  it('accepts the value without 0x prefix and in upper case', () => {
    expect(isLoginSignatureValid(CHALLENGE, GOOD.slice(2), WALLET)).toBe(true);
    expect(isLoginSignatureValid(CHALLENGE, `0x${GOOD.slice(2).toUpperCase()}`, WALLET)).toBe(true);
  });

  it('applies NO message prefix: a raw-digest signature verifies, a personal_sign one does not', async () => {
    const challenge = newChallenge();
    const raw = await sign({ hash: loginDigest(challenge), privateKey: KEY, to: 'hex' });
    expect(isLoginSignatureValid(challenge, raw, KEY_ADDRESS)).toBe(true);
    const prefixed = await privateKeyToAccount(KEY).signMessage({
      message: { raw: loginDigest(challenge) },
    });
    expect(isLoginSignatureValid(challenge, prefixed, KEY_ADDRESS)).toBe(false);
  });

  it('tries every recovery id: a signature works whatever its parity', async () => {
    // Both parities must come up among a few random challenges; each must verify.
    const parities = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const challenge = newChallenge();
      const sig = await sign({ hash: loginDigest(challenge), privateKey: KEY });
      parities.add(sig.yParity ?? -1);
      const value = bytesToHex(new Uint8Array([...hexToBytes(sig.r), ...hexToBytes(sig.s), 0]));
      expect(isLoginSignatureValid(challenge, value, KEY_ADDRESS)).toBe(true);
    }
    expect(parities).toEqual(new Set([0, 1]));
  });

  it.each([
    ['empty', ''],
    ['bare prefix', '0x'],
    ['non-hex characters', `0x${'zz'.repeat(65)}`],
    ['odd length', `${GOOD}0`],
    ['shorter than 64 bytes', GOOD.slice(0, 2 + 63 * 2)],
    ['32 bytes only', GOOD.slice(0, 66)],
    ['upper-case prefix', `0X${GOOD.slice(2)}`],
    ['r = 0', `0x${'00'.repeat(32)}${GOOD.slice(66)}`],
    ['s = 0', `${GOOD.slice(0, 66)}${'00'.repeat(32)}1c`],
    ['r >= n', `0x${'ff'.repeat(32)}${GOOD.slice(66)}`],
    ['r tampered', `0x${'00'.repeat(31)}05${GOOD.slice(66)}`],
  ])('returns false (never throws) for a malformed signature: %s', (_label, value) => {
    expect(isLoginSignatureValid(CHALLENGE, value, WALLET)).toBe(false);
  });

  it('returns false for non-string inputs coming from untyped JSON', () => {
    const loose = isLoginSignatureValid as (c: unknown, s: unknown, w: unknown) => boolean;
    expect(loose(CHALLENGE, null, WALLET)).toBe(false);
    expect(loose(CHALLENGE, { value: GOOD }, WALLET)).toBe(false);
    expect(loose(CHALLENGE, GOOD, null)).toBe(false);
    expect(loose(null, GOOD, WALLET)).toBe(false);
  });
});

describe('newChallenge (§2.1)', () => {
  it('is Base64 of 32 bytes: 44 characters with one padding char', () => {
    const c = newChallenge();
    expect(c).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(c, 'base64')).toHaveLength(32);
  });

  it('is random', () => {
    const seen = new Set(Array.from({ length: 50 }, () => newChallenge()));
    expect(seen.size).toBe(50);
  });
});
