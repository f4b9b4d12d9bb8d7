import type { Hex } from 'viem';
import { ChainContributionStatus } from './chain-status.js';

export interface ChainContribution {
  status: ChainContributionStatus;
  resultHash: Hex;
  resultSeal: Hex;
  enclaveChallenge: string;
}

export interface ChainCategory {
  id: number;
  name: string;
  description: string;
  /** workClockTimeRef × 1000 */
  maxExecutionTime: number;
}

export interface ChainApp {
  address: string;
  name: string;
  type: string;
  /** The app multiaddr bytes decoded as text: the Docker image. */
  uri: string;
  checksum: Hex;
  /** Parsed m_appMREnclave, undefined for a standard app. */
  enclaveConfiguration?: Record<string, unknown>;
}

export interface ChainDataset {
  address: string;
  owner: string;
  name: string;
  uri: string;
  checksum: Hex;
}

export interface ChainDeal {
  chainDealId: Hex;
  app: { pointer: string; owner: string; price: bigint };
  dataset: { pointer: string; owner: string; price: bigint };
  workerpool: { pointer: string; owner: string; price: bigint };
  trust: bigint;
  category: ChainCategory;
  tag: Hex;
  requester: string;
  beneficiary: string;
  callback: string;
  params: string;
  /** seconds */
  startTime: number;
  botFirst: number;
  botSize: number;
  workerStake: bigint;
  schedulerRewardRatio: bigint;
  chainApp?: ChainApp;
  chainDataset?: ChainDataset;
}

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';
export const ZERO_BYTES32: Hex = `0x${'0'.repeat(64)}`;

/**
 * An address as given to the chain client. Wallet strings are kept verbatim everywhere else
 * (worker-api.md §0.3), in any letter case; the chain ignores case but viem rejects a mixed-case
 * string that is not a valid checksum, so chain calls get the lowercase form.
 */
export function chainAddress(address: string): Hex {
  return address.toLowerCase() as Hex;
}

export function isNonZeroAddress(address: string | undefined | null): boolean {
  return !!address && address !== '' && address.toLowerCase() !== ZERO_ADDRESS;
}
