// What the rules need from a task description (chain.md §7). TEE tags: src/chain/tee-tag.ts.

import { isNonZeroAddress } from '../../chain/chain-models.js';

/** The TaskDescription fields the rules read (the cached TaskDescription fits structurally). */
export interface TaskDescriptionFacts {
  readonly isTeeTask: boolean;
  readonly trust: number | bigint;
  /** Deal callback address; empty, null or the zero address means "no callback". */
  readonly callback?: string | null;
  /** Deal params `iexec_result_storage_provider` (e.g. `ipfs`, `dropbox`), possibly unset. */
  readonly resultStorageProvider?: string | null;
  /** Deal params `iexec_result_storage_proxy`: the Result Proxy of this deal, possibly unset. */
  readonly resultStorageProxy?: string | null;
}

export function containsCallback(callback: string | null | undefined): boolean {
  return isNonZeroAddress(callback);
}

/** TEE ∧ trust = 1 (exactly) ∧ no callback: the one-phase contribute-and-finalize path. */
export function isEligibleToContributeAndFinalize(d: TaskDescriptionFacts): boolean {
  return d.isTeeTask && BigInt(d.trust) === 1n && !containsCallback(d.callback);
}
