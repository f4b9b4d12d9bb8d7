import { ChainTaskStatus } from './chain-status.js';

/**
 * On-chain task as read with `viewTaskABILegacy` (chain.md §6.3). The chain reader returns
 * `undefined` instead of a ChainTask when the read fails or `dealid` is the zero bytes32.
 * Hex values are lowercase `0x…`; deadlines are epoch milliseconds (on-chain seconds × 1000).
 */
export interface ChainTask {
  readonly status: ChainTaskStatus;
  readonly dealid: string;
  readonly idx: number;
  /** keccak256(dealid ‖ idx), recomputed by the reader. */
  readonly chainTaskId: string;
  /** Category reference time in **seconds** as stored on chain (maxExecutionTime = timeref × 1000). */
  readonly timeref: number;
  readonly contributionDeadline: number;
  readonly revealDeadline: number;
  readonly finalDeadline: number;
  /** bytes32 hex; the zero bytes32 before consensus. */
  readonly consensusValue: string;
  readonly revealCounter: number;
  readonly winnerCounter: number;
  readonly contributors: readonly string[];
  /** `results` bytes as `0x` hex. */
  readonly results: string;
}
