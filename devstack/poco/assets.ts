// Apps, datasets and workerpools in the PoCo registries. Registries deploy each entry with
// CREATE2 keyed on its arguments: the same entry twice reverts, hence unique default names.
// Addresses are returned lowercase.
import { randomBytes } from 'node:crypto';
import { keccak256, stringToHex, type Address, type Hex, type LocalAccount } from 'viem';
import { devRoles } from '../chain/accounts.js';
import { sendContractTx } from '../chain/tx.js';
import { appRegistryAbi, datasetRegistryAbi, workerpoolRegistryAbi } from './abi.js';
import type { PocoContext } from './context.js';

export const DEFAULT_APP_IMAGE = 'docker.io/iexechub/python-hello-world:8.0.0';

/** A TEE app's enclave configuration, stored as JSON text in m_appMREnclave. */
export interface AppEnclaveConfiguration {
  framework?: 'SCONE' | 'GRAMINE' | 'TDX';
  version?: string;
  entrypoint?: string;
  heapSize?: number;
  fingerprint?: string;
  [key: string]: unknown;
}

export interface CreateAppOptions {
  owner?: LocalAccount;
  name?: string;
  /** Docker image, stored as the UTF-8 bytes of m_appMultiaddr. */
  image?: string;
  checksum?: Hex;
  /** TEE apps: object (serialized as JSON) or raw text; empty for a standard app. */
  mrenclave?: AppEnclaveConfiguration | string;
  type?: string;
}

export interface CreateDatasetOptions {
  owner?: LocalAccount;
  name?: string;
  /** Stored as the UTF-8 bytes of m_datasetMultiaddr (e.g. an ipfs path or a URL). */
  multiaddr?: string;
  checksum?: Hex;
}

export interface CreateWorkerpoolOptions {
  /** Default: the scheduler account. */
  owner?: LocalAccount;
  description?: string;
}

/** A name nobody used before, so CREATE2 never collides across calls, tests and runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export async function createApp(
  ctx: PocoContext,
  options: CreateAppOptions = {},
): Promise<Address> {
  const owner = options.owner ?? devRoles().appOwner;
  const image = options.image ?? DEFAULT_APP_IMAGE;
  const mrenclave =
    options.mrenclave === undefined
      ? '0x'
      : stringToHex(
          typeof options.mrenclave === 'string'
            ? options.mrenclave
            : JSON.stringify(options.mrenclave),
        );
  const { result } = await sendContractTx<Address>(ctx.clients, owner, {
    address: ctx.deployment.appRegistry,
    abi: appRegistryAbi,
    functionName: 'createApp',
    args: [
      owner.address,
      options.name ?? uniqueName('app'),
      options.type ?? 'DOCKER',
      stringToHex(image),
      options.checksum ?? keccak256(stringToHex(image)),
      mrenclave,
    ],
  });
  return result.toLowerCase() as Address;
}

export async function createDataset(
  ctx: PocoContext,
  options: CreateDatasetOptions = {},
): Promise<Address> {
  const owner = options.owner ?? devRoles().datasetOwner;
  const name = options.name ?? uniqueName('dataset');
  const multiaddr = options.multiaddr ?? `http://127.0.0.1/datasets/${name}.zip`;
  const { result } = await sendContractTx<Address>(ctx.clients, owner, {
    address: ctx.deployment.datasetRegistry,
    abi: datasetRegistryAbi,
    functionName: 'createDataset',
    args: [
      owner.address,
      name,
      stringToHex(multiaddr),
      options.checksum ?? keccak256(stringToHex(multiaddr)),
    ],
  });
  return result.toLowerCase() as Address;
}

export async function createWorkerpool(
  ctx: PocoContext,
  options: CreateWorkerpoolOptions = {},
): Promise<Address> {
  const owner = options.owner ?? devRoles().scheduler;
  const { result } = await sendContractTx<Address>(ctx.clients, owner, {
    address: ctx.deployment.workerpoolRegistry,
    abi: workerpoolRegistryAbi,
    functionName: 'createWorkerpool',
    args: [owner.address, options.description ?? uniqueName('workerpool')],
  });
  return result.toLowerCase() as Address;
}
