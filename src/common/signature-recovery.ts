import { secp256k1 } from '@noble/curves/secp256k1';
import { hexToBytes, keccak256, type Address, type Hex } from 'viem';

/**
 * secp256k1 public-key recovery as the reference does it (web3j `Sign.recoverFromSignature`):
 * shared by the worker login (§2.2), the logs challenge (§2.8) and the WorkerpoolAuthorization.
 * Synchronous (noble) and total: every malformed input yields `undefined`/`false`, never a throw.
 */

/** The `r` and `s` halves of a signature; the `v` byte, when present, is kept separately. */
export interface RsSignature {
  r: bigint;
  s: bigint;
  /** Byte 64 of the value when it has one (27/28 from real signers), else undefined. */
  v: number | undefined;
}

const STRICT_HEX = /^(?:0x)?((?:[0-9a-fA-F]{2})*)$/;

/**
 * Decodes a signature value (`0x` optional, even-length hex) of at least 64 bytes: r = bytes
 * 0..31, s = bytes 32..63, v = byte 64 if any; later bytes are ignored as the reference does.
 */
export function parseRsSignature(value: unknown): RsSignature | undefined {
  if (typeof value !== 'string') return undefined;
  const match = STRICT_HEX.exec(value);
  if (!match || match[1].length < 128) return undefined;
  const body = match[1];
  return {
    r: BigInt(`0x${body.slice(0, 64)}`),
    s: BigInt(`0x${body.slice(64, 128)}`),
    v: body.length >= 130 ? parseInt(body.slice(128, 130), 16) : undefined,
  };
}

/** Address (lowercase) of the key that produced (r, s) over `digest` with this recovery id. */
export function recoverAddressWithId(
  digest: Hex,
  sig: RsSignature,
  recoveryId: number,
): Address | undefined {
  try {
    const point = new secp256k1.Signature(sig.r, sig.s)
      .addRecoveryBit(recoveryId)
      .recoverPublicKey(hexToBytes(digest));
    const uncompressed = point.toRawBytes(false);
    return `0x${keccak256(uncompressed.subarray(1)).slice(-40)}`;
  } catch {
    // r or s out of range, x not on the curve, point at infinity...
    return undefined;
  }
}

/**
 * True when one of the recovery ids 0..3 recovers `address` (compared case-insensitively) from
 * (r, s) over the raw digest. The `v` byte is ignored and no message prefix is applied.
 */
export function isRsSignatureFrom(digest: Hex, signatureValue: unknown, address: unknown): boolean {
  if (typeof address !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(digest)) return false;
  const sig = parseRsSignature(signatureValue);
  if (!sig) return false;
  const expected = address.toLowerCase();
  for (let id = 0; id < 4; id++) {
    if (recoverAddressWithId(digest, sig, id) === expected) return true;
  }
  return false;
}
