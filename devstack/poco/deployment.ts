// What a PoCo deployment on the dev chain is made of. Plain JSON (no bigint): it is written to a
// file, printed on the READY line of serve.ts and passed to Jest workers through the environment.
// Addresses are lowercase.
import type { Address } from 'viem';

export type PocoAsset = 'token' | 'native';

export interface PocoCategory {
  id: number;
  name: string;
  description: string;
  /** Work-clock time reference in seconds: deadlines are multiples of it. */
  workClockTimeRef: number;
}

export interface PocoDeployment {
  rpcUrl: string;
  chainId: number;
  asset: PocoAsset;
  /** The Diamond: every PoCo call goes to this address (the "hub" of the scheduler config). */
  hub: Address;
  /** RLC token (token mode); the zero address in native mode. */
  rlc: Address;
  appRegistry: Address;
  datasetRegistry: Address;
  workerpoolRegistry: Address;
  /** PoCo owner. */
  deployer: Address;
  categories: PocoCategory[];
  /** Latest block once everything is deployed: nothing iExec happened before it. */
  deployedAtBlock: number;
  libOrders: Address;
  facets: Record<string, Address>;
}

/** The categories of PoCo's config.json (XS, S, M, L, XL), ids 0 to 4. */
export const POCO_CATEGORIES: readonly PocoCategory[] = [
  { id: 0, name: 'XS', description: '{}', workClockTimeRef: 300 },
  { id: 1, name: 'S', description: '{}', workClockTimeRef: 1200 },
  { id: 2, name: 'M', description: '{}', workClockTimeRef: 3600 },
  { id: 3, name: 'L', description: '{}', workClockTimeRef: 10800 },
  { id: 4, name: 'XL', description: '{}', workClockTimeRef: 36000 },
];

/** 1 RLC = 1e9 nRLC (the token has 9 decimals); PoCo amounts are in nRLC. */
export const NRLC_PER_RLC = 1_000_000_000n;
/** Native mode: 1 nRLC of stake = 1e9 wei deposited. */
export const WEI_PER_NRLC = 1_000_000_000n;

/** PoCo: the scheduler locks 30 % of the workerpool price per task at match time. */
export const WORKERPOOL_STAKE_RATIO = 30n;

/** Checks the shape of a deployment read from JSON (file, READY line, environment). */
export function parsePocoDeployment(json: string): PocoDeployment {
  const value = JSON.parse(json) as Partial<PocoDeployment>;
  for (const key of [
    'rpcUrl',
    'hub',
    'rlc',
    'appRegistry',
    'datasetRegistry',
    'workerpoolRegistry',
  ] as const) {
    if (typeof value[key] !== 'string') throw new Error(`PoCo deployment: missing ${key}`);
  }
  if (typeof value.chainId !== 'number') throw new Error('PoCo deployment: missing chainId');
  if (value.asset !== 'token' && value.asset !== 'native') {
    throw new Error(`PoCo deployment: asset must be token or native, not ${String(value.asset)}`);
  }
  return value as PocoDeployment;
}
