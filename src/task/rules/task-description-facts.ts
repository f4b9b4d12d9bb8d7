// What the rules need from a task description (chain.md §7) and from a deal tag (lifecycle §10).

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

/** The TaskDescription fields the rules read (the cached TaskDescription fits structurally). */
export interface TaskDescriptionFacts {
  readonly isTeeTask: boolean;
  readonly trust: number | bigint;
  /** Deal callback address; empty, null or the zero address means "no callback". */
  readonly callback?: string | null;
  /** Deal params `iexec_result_storage_provider` (e.g. `ipfs`, `dropbox`), possibly unset. */
  readonly resultStorageProvider?: string | null;
}

export function containsCallback(callback: string | null | undefined): boolean {
  return !!callback && callback.toLowerCase() !== ZERO_ADDRESS;
}

/** TEE ∧ trust = 1 (exactly) ∧ no callback: the one-phase contribute-and-finalize path. */
export function isEligibleToContributeAndFinalize(d: TaskDescriptionFacts): boolean {
  return d.isTeeTask && BigInt(d.trust) === 1n && !containsCallback(d.callback);
}

export type TeeFramework = 'SCONE' | 'GRAMINE';

/** Framework selected by the low nibble of a bytes32 tag (0b0011 Scone, 0b0101 Gramine). */
export function teeFrameworkOfTag(tag: string | null | undefined): TeeFramework | undefined {
  if (!tag) return undefined;
  const last = tag.trim().slice(-1);
  const nibble = Number.parseInt(last, 16);
  if (Number.isNaN(nibble)) return undefined;
  if ((nibble & 0xf) === 0b0011) return 'SCONE';
  if ((nibble & 0xf) === 0b0101) return 'GRAMINE';
  return undefined;
}

export function isTeeTag(tag: string | null | undefined): boolean {
  return teeFrameworkOfTag(tag) !== undefined;
}
