// The scheduler's wallet file for a dev stack: the workerpool owner's key (dev role "scheduler")
// in a v3 keystore with a cheap scrypt cost, so the scheduler decrypts it in milliseconds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Address, Hex } from 'viem';
import { encryptKeystore } from '../src/chain/keystore.js';
import { devPrivateKey, ROLE_INDEX } from './chain/accounts.js';
import { privateKeyToAddress } from 'viem/accounts';

export const DEV_WALLET_PASSWORD = 'whatever';

export interface DevWallet {
  path: string;
  password: string;
  address: Address;
}

/** The scheduler (workerpool owner) wallet. */
export function writeSchedulerWallet(path: string, password = DEV_WALLET_PASSWORD): DevWallet {
  return writeWalletFile(path, devPrivateKey(ROLE_INDEX.scheduler), password);
}

/** Any key as a keystore file (e.g. a wallet that does not own the workerpool). */
export function writeWalletFile(
  path: string,
  privateKey: Hex,
  password = DEV_WALLET_PASSWORD,
): DevWallet {
  const keystore = encryptKeystore(privateKey, password, { kdf: 'scrypt', scryptN: 4096 });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(keystore, null, 2)}\n`, { mode: 0o600 });
  return { path, password, address: privateKeyToAddress(privateKey) };
}
