import { randomBytes } from 'node:crypto';
import { keccak256, type Hex } from 'viem';
import { lenientHexToBytes } from '../../common/lenient-hex.js';
import { isRsSignatureFrom } from '../../common/signature-recovery.js';

/** Worker login (worker-api.md §2.1–2.2). */

/** A fresh login challenge: standard Base64 (with padding) of 32 CSPRNG bytes, 44 characters. */
export function newChallenge(): string {
  return randomBytes(32).toString('base64');
}

/** D = keccak256(lenient-hex bytes of the challenge text). No Ethereum message prefix. */
export function loginDigest(challenge: string): Hex {
  return keccak256(lenientHexToBytes(challenge));
}

/**
 * True when `signatureValue` (hex, r‖s‖v, v ignored) recovers `walletAddress` (case-insensitive)
 * over {@link loginDigest} with any recovery id 0..3. Malformed input of any kind gives false.
 */
export function isLoginSignatureValid(
  challenge: string,
  signatureValue: string,
  walletAddress: string,
): boolean {
  if (typeof challenge !== 'string') return false;
  return isRsSignatureFrom(loginDigest(challenge), signatureValue, walletAddress);
}
