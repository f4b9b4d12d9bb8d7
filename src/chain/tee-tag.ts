import { lenientHexToBytes } from '../common/lenient-hex.js';

/**
 * TEE framework from a deal tag (task-lifecycle.md §10): the tag's lowest 4 bits are
 * 0b0011 for Scone and 0b0101 for Gramine; any other value means "not TEE".
 */

export type TeeFramework = 'SCONE' | 'GRAMINE';

export const TEE_SCONE_ONLY_TAG = `0x${'0'.repeat(63)}3` as const;
export const TEE_GRAMINE_ONLY_TAG = `0x${'0'.repeat(63)}5` as const;

const SCONE_BITS = 0b0011;
const GRAMINE_BITS = 0b0101;

export function teeFrameworkOfTag(tag: string | null | undefined): TeeFramework | undefined {
  if (typeof tag !== 'string') return undefined;
  // Same decoding as the reference (Numeric.toBigInt): the tag as one big-endian number.
  const bytes = lenientHexToBytes(tag);
  if (bytes.length === 0) return undefined;
  const lowNibble = bytes[bytes.length - 1] & 0x0f;
  if (lowNibble === SCONE_BITS) return 'SCONE';
  if (lowNibble === GRAMINE_BITS) return 'GRAMINE';
  return undefined;
}

export function isTeeTag(tag: string | null | undefined): boolean {
  return teeFrameworkOfTag(tag) !== undefined;
}
