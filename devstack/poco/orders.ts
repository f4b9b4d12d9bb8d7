// PoCo orders: EIP-712 domain and types of IexecLibOrders_v5, building and signing with viem.
import { randomBytes } from 'node:crypto';
import {
  hashTypedData,
  pad,
  toHex,
  zeroAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type TypedDataDomain,
} from 'viem';

/** IexecConfigurationFacet's domain: verifyingContract is the diamond (hub). */
export function pocoDomain(chainId: number, hub: Address): TypedDataDomain {
  return { name: 'iExecODB', version: '5.0.0', chainId, verifyingContract: hub };
}

/** Field order follows the *_TYPEHASH strings of IexecLibOrders_v5. */
export const ORDER_TYPES = {
  AppOrder: [
    { name: 'app', type: 'address' },
    { name: 'appprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  DatasetOrder: [
    { name: 'dataset', type: 'address' },
    { name: 'datasetprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'apprestrict', type: 'address' },
    { name: 'workerpoolrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  WorkerpoolOrder: [
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolprice', type: 'uint256' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'apprestrict', type: 'address' },
    { name: 'datasetrestrict', type: 'address' },
    { name: 'requesterrestrict', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ],
  RequestOrder: [
    { name: 'app', type: 'address' },
    { name: 'appmaxprice', type: 'uint256' },
    { name: 'dataset', type: 'address' },
    { name: 'datasetmaxprice', type: 'uint256' },
    { name: 'workerpool', type: 'address' },
    { name: 'workerpoolmaxprice', type: 'uint256' },
    { name: 'requester', type: 'address' },
    { name: 'volume', type: 'uint256' },
    { name: 'tag', type: 'bytes32' },
    { name: 'category', type: 'uint256' },
    { name: 'trust', type: 'uint256' },
    { name: 'beneficiary', type: 'address' },
    { name: 'callback', type: 'address' },
    { name: 'params', type: 'string' },
    { name: 'salt', type: 'bytes32' },
  ],
} as const;

export type OrderType = keyof typeof ORDER_TYPES;

export interface AppOrder {
  app: Address;
  appprice: bigint;
  volume: bigint;
  tag: Hex;
  datasetrestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
}

export interface DatasetOrder {
  dataset: Address;
  datasetprice: bigint;
  volume: bigint;
  tag: Hex;
  apprestrict: Address;
  workerpoolrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
}

export interface WorkerpoolOrder {
  workerpool: Address;
  workerpoolprice: bigint;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  apprestrict: Address;
  datasetrestrict: Address;
  requesterrestrict: Address;
  salt: Hex;
}

export interface RequestOrder {
  app: Address;
  appmaxprice: bigint;
  dataset: Address;
  datasetmaxprice: bigint;
  workerpool: Address;
  workerpoolmaxprice: bigint;
  requester: Address;
  volume: bigint;
  tag: Hex;
  category: bigint;
  trust: bigint;
  beneficiary: Address;
  callback: Address;
  params: string;
  salt: Hex;
}

interface OrderOf {
  AppOrder: AppOrder;
  DatasetOrder: DatasetOrder;
  WorkerpoolOrder: WorkerpoolOrder;
  RequestOrder: RequestOrder;
}

export type Signed<T> = T & { sign: Hex };

export interface SignedOrders {
  app: Signed<AppOrder>;
  dataset: Signed<DatasetOrder>;
  workerpool: Signed<WorkerpoolOrder>;
  request: Signed<RequestOrder>;
}

/** Tag bits of the last byte: TEE, and the TEE framework on top of it. */
export const TAG = {
  STANDARD: 0x0,
  TEE: 0x1,
  TEE_SCONE: 0x3,
  TEE_GRAMINE: 0x5,
  TEE_TDX: 0x9,
} as const;

/** A tag as bytes32 (0x3 → 0x00…03). */
export function toTag(tag: Hex | number | bigint): Hex {
  return pad(typeof tag === 'string' ? tag : toHex(tag), { size: 32 });
}

export function isTeeTag(tag: Hex): boolean {
  return (BigInt(tag) & 1n) === 1n;
}

/** A fresh salt: identical orders would share their hash (and their consumed volume). */
export function uniqueSalt(): Hex {
  return toHex(randomBytes(32));
}

/** The order of an empty dataset slot (a deal without dataset): never signature-checked. */
export function noDatasetOrder(): Signed<DatasetOrder> {
  return {
    dataset: zeroAddress,
    datasetprice: 0n,
    volume: 0n,
    tag: toTag(0),
    apprestrict: zeroAddress,
    workerpoolrestrict: zeroAddress,
    requesterrestrict: zeroAddress,
    salt: pad('0x0', { size: 32 }),
    sign: '0x',
  };
}

/** The EIP-712 digest PoCo computes for an order (what OrdersMatched reports as xxxHash). */
export function orderHash<T extends OrderType>(
  domain: TypedDataDomain,
  primaryType: T,
  order: OrderOf[T],
): Hex {
  return hashTypedData({
    domain,
    types: ORDER_TYPES,
    primaryType,
    message: withoutSign(order),
  } as Parameters<typeof hashTypedData>[0]);
}

/** Signs the order's EIP-712 digest (65-byte r‖s‖v) and returns the order with `sign` set. */
export async function signOrder<T extends OrderType>(
  signer: LocalAccount,
  domain: TypedDataDomain,
  primaryType: T,
  order: OrderOf[T],
): Promise<Signed<OrderOf[T]>> {
  const message = withoutSign(order);
  const sign = await signer.signTypedData({
    domain,
    types: ORDER_TYPES,
    primaryType,
    message,
  } as Parameters<LocalAccount['signTypedData']>[0]);
  return { ...(message as unknown as OrderOf[T]), sign };
}

function withoutSign(order: object): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...order };
  delete copy.sign;
  return copy;
}
