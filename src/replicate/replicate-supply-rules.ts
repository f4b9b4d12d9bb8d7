import { Instant, toMillis } from '../common/instant.js';
import { ConsensusReplicate, needsMoreContributions } from '../task/rules/consensus.js';
import { isTeeTag, teeFrameworkOfTag, teeTechnologyOf } from '../chain/tee-tag.js';
import { SUPPLY_STATUSES, TaskStatus } from '../task/task-status.js';
import { ReplicateStatus } from './replicate-status.js';
import type { Replicate } from './replicates-list.schema.js';

// Chain-free part of accepting a candidate task for a worker (worker-api.md §5.3, §5.4 step 3).

/** What a worker said it can run at registration (W4): SGX (`teeEnabled`) and TDX (9.2's `tdxEnabled`). */
export interface WorkerTeeCapabilities {
  readonly teeEnabled?: boolean | null;
  readonly tdxEnabled?: boolean | null;
}

/**
 * Whether a worker may be offered a task with this tag: a TEE tag (bit 0, PoCo's rule) of Scone or
 * Gramine only to SGX workers (`teeEnabled`), of TDX only to TDX workers (`tdxEnabled`, iexec-core
 * 9.2), and of a framework not served here to nobody (no worker could contribute to it).
 * [quirk fixed, §5.3] 8.5 excludes only the two exact SGX tag strings from non-TEE workers, 9.2
 * the three exact strings: a tag with other high bits set goes to any worker and PoCo refuses it.
 */
export function isTagOfferableToWorker(
  tag: string | null | undefined,
  worker: WorkerTeeCapabilities,
): boolean {
  if (!isTeeTag(tag)) return true;
  const framework = teeFrameworkOfTag(tag);
  if (!framework) return false;
  return teeTechnologyOf(framework) === 'TDX' ? !!worker.tdxEnabled : !!worker.teeEnabled;
}

export type SupplyPrecheck =
  | 'NO_REPLICATES_LIST'
  | 'ALREADY_PARTICIPATING'
  | 'ENOUGH_CONTRIBUTIONS'
  /** Go on with the on-chain consensus check (`isConsensusReached`), then reserve and create. */
  | 'OK';

/** §5.4 steps 3.1–3.3, in order. Wallets are compared as exact strings. */
export function supplyPrecheck(input: {
  readonly replicates:
    readonly (ConsensusReplicate & Pick<Replicate, 'walletAddress'>)[] | null | undefined;
  readonly walletAddress: string;
  readonly trust: number | bigint;
  readonly maxExecutionTimeMs: number;
  readonly now: Instant;
}): SupplyPrecheck {
  const { replicates } = input;
  if (!replicates) return 'NO_REPLICATES_LIST';
  if (replicates.some((r) => r.walletAddress === input.walletAddress))
    return 'ALREADY_PARTICIPATING';
  if (!needsMoreContributions(replicates, input.trust, input.maxExecutionTimeMs, input.now)) {
    return 'ENOUGH_CONTRIBUTIONS';
  }
  return 'OK';
}

/** §5.4 step 1: a task without an enclave challenge is never offered (nothing is locked). */
export function hasEnclaveChallenge(task: { readonly enclaveChallenge?: string | null }): boolean {
  return !!task.enclaveChallenge;
}

/**
 * Whether a task read afresh under the supply lock can still be offered: the candidates list is
 * cached for a moment, and a task may have reached consensus, timed out or failed since.
 */
export function isStillOfferable(
  task: { readonly currentStatus: TaskStatus; readonly contributionDeadline: Date } | null,
  now: Instant,
): boolean {
  return (
    !!task &&
    SUPPLY_STATUSES.includes(task.currentStatus) &&
    task.contributionDeadline.getTime() > toMillis(now)
  );
}

/**
 * Whether a replicate was given out but its worker evidently never got the answer: it is still
 * CREATED alone (a worker that received the authorization reports STARTING at once) and older
 * than `graceMs`, and its worker asks again. That happens when the scheduler dies between
 * writing the replicate and answering R1: the worker sees a transport error, the replicate holds
 * a place of the task (and of the worker's capacity) that nobody works on, and a trust-1 task
 * waits for its contribution deadline. The same happens when the worker restarts between the
 * answer and its STARTING. Such a replicate is offered again to the same worker, but only when
 * it was written before `unknownSince`: this process's start (an earlier process wrote it), or
 * the worker's last R2 recovery (its earlier process got it). One this process answered to the
 * running worker was received, and giving it twice would start a second computation, as the
 * Java scheduler never gives a worker the same task twice.
 */
export function isUnstartedHandout(
  replicate: Pick<Replicate, 'statusUpdateList'>,
  now: number,
  graceMs: number,
  unknownSince: number,
): boolean {
  const list = replicate.statusUpdateList;
  const created = list.length === 1 ? new Date(list[0].date).getTime() : Number.NaN;
  return (
    list[0]?.status === ReplicateStatus.CREATED && created < unknownSince && now - created > graceMs
  );
}
