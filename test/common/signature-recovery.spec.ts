import { privateKeyToAccount, sign } from 'viem/accounts';
import { keccak256, toHex } from 'viem';
import {
  isRsSignatureFrom,
  parseRsSignature,
  recoverAddressWithId,
} from '../../src/common/signature-recovery.js';

const KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';
const ADDRESS = privateKeyToAccount(KEY).address.toLowerCase();
const DIGEST = keccak256(toHex('some message'));

describe('parseRsSignature', () => {
  const r = '11'.repeat(32);
  const s = '22'.repeat(32);

  it('splits r, s and v', () => {
    expect(parseRsSignature(`0x${r}${s}1c`)).toEqual({
      r: BigInt(`0x${r}`),
      s: BigInt(`0x${s}`),
      v: 28,
    });
    expect(parseRsSignature(`${r}${s}`)).toEqual({
      r: BigInt(`0x${r}`),
      s: BigInt(`0x${s}`),
      v: undefined,
    });
  });

  it('ignores bytes after v', () => {
    expect(parseRsSignature(`0x${r}${s}1bffff`)?.v).toBe(27);
  });

  it.each([
    '',
    '0x',
    `0x${r}`,
    `0x${r}${s}1`,
    `0X${r}${s}`,
    `0x${r}${s.slice(2)}gg`,
    ` 0x${r}${s}`,
  ])('rejects %p', (value) => expect(parseRsSignature(value)).toBeUndefined());

  it('rejects non-strings', () => {
    expect(parseRsSignature(undefined)).toBeUndefined();
    expect(parseRsSignature(42)).toBeUndefined();
  });
});

describe('recoverAddressWithId / isRsSignatureFrom', () => {
  it('recovers the signer with the signature recovery id only', async () => {
    const sig = await sign({ hash: DIGEST, privateKey: KEY });
    const rs = parseRsSignature(sig.r + sig.s.slice(2))!;
    const id = sig.yParity!;
    expect(recoverAddressWithId(DIGEST, rs, id)).toBe(ADDRESS);
    expect(recoverAddressWithId(DIGEST, rs, 1 - id)).not.toBe(ADDRESS);
    // ids 2 and 3 need r + n < p, which a real signature essentially never satisfies.
    expect(recoverAddressWithId(DIGEST, rs, 2)).toBeUndefined();
    expect(recoverAddressWithId(DIGEST, rs, 3)).toBeUndefined();
    expect(isRsSignatureFrom(DIGEST, sig.r + sig.s.slice(2), ADDRESS.toUpperCase())).toBe(true);
  });

  it('is false for a malformed digest or address', async () => {
    const sig = await sign({ hash: DIGEST, privateKey: KEY, to: 'hex' });
    expect(isRsSignatureFrom(DIGEST, sig, ADDRESS)).toBe(true);
    expect(isRsSignatureFrom('0x1234', sig, ADDRESS)).toBe(false);
    expect(isRsSignatureFrom(DIGEST, sig, undefined)).toBe(false);
    expect(isRsSignatureFrom(DIGEST, sig, '')).toBe(false);
  });
});
