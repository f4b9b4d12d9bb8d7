// Well-known accounts of the local chain, all derived from the Hardhat test mnemonic, so every run
// has the same addresses. Roles are fixed by derivation index; workers start at index 10.
import { pbkdf2Sync } from 'node:crypto';
import { toHex, type Hex, type PrivateKeyAccount } from 'viem';
import { HDKey, privateKeyToAccount } from 'viem/accounts';

export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';

/** Derivation index of each role (m/44'/60'/0'/0/<index>). */
export const ROLE_INDEX = {
  /** Deploys PoCo and owns the diamond and the registries. */
  deployer: 0,
  /** Owns the workerpool: the scheduler's wallet. */
  scheduler: 1,
  appOwner: 2,
  datasetOwner: 3,
  requester: 4,
} as const;
export type Role = keyof typeof ROLE_INDEX;

export const FIRST_WORKER_INDEX = 10;
export const DEFAULT_WORKER_COUNT = 50;

/** 10 000 000 ETH per account: gas is never the limiting factor on the dev chain. */
export const DEV_ACCOUNT_BALANCE = 10n ** 25n;

// viem's mnemonicToAccount re-derives the BIP-39 seed in JS on every call (~30 ms each, ~2 s for
// 60 accounts); derive the seed with node:crypto and the m/44'/60'/0'/0 node once instead.
const parents = new Map<string, HDKey>();
const keys = new Map<string, Hex>();

function parentNode(mnemonic: string): HDKey {
  let parent = parents.get(mnemonic);
  if (!parent) {
    const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
    parent = HDKey.fromMasterSeed(seed).derive("m/44'/60'/0'/0");
    parents.set(mnemonic, parent);
  }
  return parent;
}

/** Private key of m/44'/60'/0'/0/<index> of the mnemonic. */
export function devPrivateKey(index: number, mnemonic = DEV_MNEMONIC): Hex {
  const cacheKey = `${mnemonic}#${index}`;
  let key = keys.get(cacheKey);
  if (!key) {
    const child = parentNode(mnemonic).deriveChild(index);
    if (!child.privateKey) throw new Error(`cannot derive account ${index}`);
    key = toHex(child.privateKey);
    keys.set(cacheKey, key);
  }
  return key;
}

export function devAccount(index: number, mnemonic = DEV_MNEMONIC): PrivateKeyAccount {
  return privateKeyToAccount(devPrivateKey(index, mnemonic));
}

/** The i-th worker wallet (i from 0), at derivation index FIRST_WORKER_INDEX + i. */
export function workerAccount(i: number): PrivateKeyAccount {
  if (!Number.isInteger(i) || i < 0) throw new Error(`worker index must be a natural number: ${i}`);
  return devAccount(FIRST_WORKER_INDEX + i);
}

export type DevRoles = Record<Role, PrivateKeyAccount>;

let roles: DevRoles | undefined;

/** deployer, scheduler, appOwner, datasetOwner, requester (viem local accounts). */
export function devRoles(): DevRoles {
  roles ??= Object.fromEntries(
    Object.entries(ROLE_INDEX).map(([role, index]) => [role, devAccount(index)]),
  ) as DevRoles;
  return roles;
}

/** Number of funded accounts a node needs to serve the roles and `workerCount` workers. */
export function devAccountCount(workerCount = DEFAULT_WORKER_COUNT): number {
  return FIRST_WORKER_INDEX + workerCount;
}
