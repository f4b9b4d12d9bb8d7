import { lenientHexToBytes } from '../common/lenient-hex.js';

/**
 * TEE from a deal tag, read as one big-endian number (as the reference's Numeric.toBigInt).
 * A tag is TEE when its bit 0 is set: that is PoCo's rule (a contribution to such a task needs an
 * enclave challenge). The framework is the low nibble: 0b0011 Scone, 0b0101 Gramine, 0b1001 TDX
 * (iexec-commons-poco 9). This scheduler serves the three (TDX as iexec-core 9.1); any other TEE
 * tag is TEE with no framework it can serve (task-lifecycle.md §10).
 */

export type TeeFramework = 'SCONE' | 'GRAMINE' | 'TDX';

export const TEE_SCONE_ONLY_TAG = `0x${'0'.repeat(63)}3` as const;
export const TEE_GRAMINE_ONLY_TAG = `0x${'0'.repeat(63)}5` as const;
export const TEE_TDX_ONLY_TAG = `0x${'0'.repeat(63)}9` as const;

const SERVED_FRAMEWORKS: Record<number, TeeFramework> = {
  0b0011: 'SCONE',
  0b0101: 'GRAMINE',
  0b1001: 'TDX',
};

function lowNibble(tag: string | null | undefined): number | undefined {
  // Not a number at all: not TEE (the reference's Numeric.toBigInt throws on it).
  if (typeof tag !== 'string' || !/^(0[xX])?[0-9a-fA-F]+$/.test(tag)) return undefined;
  const bytes = lenientHexToBytes(tag);
  return bytes.length === 0 ? undefined : bytes[bytes.length - 1] & 0x0f;
}

/** PoCo's rule: bit 0 of the tag. */
export function isTeeTag(tag: string | null | undefined): boolean {
  return ((lowNibble(tag) ?? 0) & 1) === 1;
}

/** The TEE framework of a tag when it is one this scheduler serves; undefined otherwise. */
export function teeFrameworkOfTag(tag: string | null | undefined): TeeFramework | undefined {
  const nibble = lowNibble(tag);
  return nibble === undefined ? undefined : SERVED_FRAMEWORKS[nibble];
}

/**
 * Why a task with this tag cannot be run here: a TEE tag whose framework is not served (no
 * worker could contribute to it, so it is neither initialized nor supplied). Undefined when the
 * tag is standard or of a served framework.
 */
export function unservedTeeTagReason(tag: string | null | undefined): string | undefined {
  if (!isTeeTag(tag) || teeFrameworkOfTag(tag) !== undefined) return undefined;
  const bits = lowNibble(tag)!.toString(2).padStart(4, '0');
  return `TEE tag ${tag} asks for an unknown TEE framework (low bits 0b${bits}), which this scheduler does not serve (Scone, Gramine and TDX only)`;
}

/**
 * The TEE technology a framework runs on: Scone and Gramine are SGX, TDX is TDX. A worker says
 * which ones it has at registration (`teeEnabled` for SGX, `tdxEnabled` since iexec-core 9.2).
 */
export function teeTechnologyOf(framework: TeeFramework): 'SGX' | 'TDX' {
  return framework === 'TDX' ? 'TDX' : 'SGX';
}
