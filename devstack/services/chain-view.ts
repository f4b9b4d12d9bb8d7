// What the stand-ins read on chain and the signature checks they share. Chain time (the latest
// block's timestamp) is the clock of every deadline check, so tests can time-travel.
import { hashMessage, isHex, type Address, type Hex } from 'viem';
import { createChainClients, type ChainClients } from '../chain/clients.js';
import { pocoContext, type PocoContext } from '../poco/context.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { viewDeal, viewTask, type DealView, type TaskView } from '../poco/reads.js';
import { ChainTaskStatus } from '../../src/chain/chain-status.js';
import { isTeeTag } from '../../src/chain/tee-tag.js';
import {
  workerpoolAuthorizationHash,
  type WorkerpoolAuthorization,
} from '../../src/chain/workerpool-authorization.js';
import { parseRsSignature, recoverAddressWithId } from '../../src/common/signature-recovery.js';
import { badRequest } from './http.js';

export interface ChainView {
  ctx: PocoContext;
  clients: ChainClients;
  /** Timestamp (s) of the latest block. */
  now(): Promise<bigint>;
  /** The task, or undefined when it is UNSET on chain (never initialized). */
  task(chainTaskId: Hex): Promise<TaskView | undefined>;
  deal(dealId: Hex): Promise<DealView>;
}

export function chainView(deployment: PocoDeployment, clients?: ChainClients): ChainView {
  const ctx = pocoContext(deployment, clients ?? createChainClients(deployment));
  return {
    ctx,
    clients: ctx.clients,
    async now() {
      return (await ctx.clients.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
    },
    async task(chainTaskId) {
      const task = await viewTask(ctx, chainTaskId);
      return task.status === ChainTaskStatus.UNSET ? undefined : task;
    },
    deal: (dealId) => viewDeal(ctx, dealId),
  };
}

/** A TEE deal for the scheduler and the Java services (Scone or Gramine framework bits). */
export const isTeeDeal = (deal: DealView): boolean => isTeeTag(deal.tag);

export const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
export const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/** A 32-byte id from a path or query parameter (lowercased), else 400. */
export function bytes32Param(value: string | null | undefined, name: string): Hex {
  if (!value || !BYTES32.test(value)) throw badRequest(`${name} must be 32 bytes of hex`);
  return value.toLowerCase() as Hex;
}

/** Recent recoveries: a token request signed by the scheduler itself checks one signature twice. */
const recovered = new Map<string, Address | undefined>();
const RECOVERED_KEPT = 256;

/** Signer (lowercase) of an EIP-191 personal signature over the 32 raw bytes of `hash`. */
export function recoverPersonalSigner(hash: Hex, signature: string): Address | undefined {
  const key = `${hash}:${signature.toLowerCase()}`;
  if (recovered.has(key)) return recovered.get(key);
  const signer = recoverUncached(hash, signature);
  recovered.set(key, signer);
  if (recovered.size > RECOVERED_KEPT) recovered.delete(recovered.keys().next().value as string);
  return signer;
}

function recoverUncached(hash: Hex, signature: string): Address | undefined {
  const sig = parseRsSignature(signature);
  if (!sig || sig.v === undefined) return undefined;
  const recoveryId = sig.v >= 27 ? sig.v - 27 : sig.v;
  if (recoveryId !== 0 && recoveryId !== 1) return undefined;
  return recoverAddressWithId(hashMessage({ raw: hash }), sig, recoveryId);
}

export const sameAddress = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * A WorkerpoolAuthorization from a JSON body (chain.md §4.2), or 400: the three fields as hex
 * of the right sizes and `signature.value` as 65 bytes.
 */
export function parseAuthorization(body: unknown): WorkerpoolAuthorization {
  const auth = body as Partial<WorkerpoolAuthorization> | null;
  if (typeof auth !== 'object' || auth === null) throw badRequest('authorization is not an object');
  const { chainTaskId, workerWallet, enclaveChallenge, signature } = auth;
  if (typeof chainTaskId !== 'string' || !BYTES32.test(chainTaskId)) {
    throw badRequest('chainTaskId must be 32 bytes of hex');
  }
  if (typeof workerWallet !== 'string' || !ADDRESS.test(workerWallet)) {
    throw badRequest('workerWallet must be an address');
  }
  if (typeof enclaveChallenge !== 'string' || !ADDRESS.test(enclaveChallenge)) {
    throw badRequest('enclaveChallenge must be an address');
  }
  if (typeof signature?.value !== 'string' || !SIGNATURE.test(signature.value)) {
    throw badRequest('signature.value must be 65 bytes of hex');
  }
  return { chainTaskId, workerWallet, enclaveChallenge, signature: { value: signature.value } };
}

/**
 * The check the Result Proxy and the SMS make on a caller holding a WorkerpoolAuthorization:
 * `headerSignature` (the caller's own signature of the authorization hash) recovers to
 * `workerWallet` — the caller proves it is the worker the authorization names.
 */
export function isSignedByWorker(auth: WorkerpoolAuthorization, headerSignature: string): boolean {
  const hash = workerpoolAuthorizationHash(
    auth.workerWallet,
    auth.chainTaskId,
    auth.enclaveChallenge,
  );
  return sameAddress(recoverPersonalSigner(hash, headerSignature), auth.workerWallet);
}

/** The authorization itself is signed by the deal's workerpool owner (what PoCo requires). */
export function isSignedByWorkerpoolOwner(auth: WorkerpoolAuthorization, deal: DealView): boolean {
  const hash = workerpoolAuthorizationHash(
    auth.workerWallet,
    auth.chainTaskId,
    auth.enclaveChallenge,
  );
  return sameAddress(recoverPersonalSigner(hash, auth.signature.value), deal.workerpool.owner);
}

/** Hex-decodes `value` (0x-prefixed, even length) or throws 400 naming `field`. */
export function hexField(value: unknown, field: string, bytes?: number): Hex {
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || value.length % 2 !== 0) {
    throw badRequest(`${field} must be 0x-prefixed hex`);
  }
  if (bytes !== undefined && value.length !== 2 + 2 * bytes) {
    throw badRequest(`${field} must be ${bytes} bytes`);
  }
  return value.toLowerCase() as Hex;
}
