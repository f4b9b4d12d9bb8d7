import { hashMessage, keccak256, type Address, type Hex, type LocalAccount } from 'viem';
import { lenientHexToBytes } from '../common/lenient-hex.js';
import { parseRsSignature, recoverAddressWithId } from '../common/signature-recovery.js';

/**
 * WorkerpoolAuthorization (chain.md §4, worker-api.md §5.6–5.7, services.md §5.2/§6.3).
 * Property order matters: these objects are serialized to the worker, whose decoder is strict.
 */

export interface Signature {
  value: Hex;
}

export interface WorkerpoolAuthorization {
  chainTaskId: string;
  workerWallet: string;
  enclaveChallenge: string;
  signature: Signature;
}

/** What signing needs from the scheduler wallet: a viem `LocalAccount` (privateKeyToAccount) fits. */
export type MessageSigner = Pick<LocalAccount, 'signMessage'>;

/**
 * keccak256(bytes(workerWallet) ‖ bytes(chainTaskId) ‖ bytes(enclaveChallenge)): plain
 * concatenation of the decoded hex, i.e. abi.encodePacked(address, bytes32, address). Decoding
 * is the reference's lenient one, so letter case is irrelevant and "" contributes no byte.
 */
export function workerpoolAuthorizationHash(
  workerWallet: string,
  chainTaskId: string,
  enclaveChallenge: string,
): Hex {
  const parts = [workerWallet, chainTaskId, enclaveChallenge].map(lenientHexToBytes);
  const packed = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    packed.set(p, offset);
    offset += p.length;
  }
  return keccak256(packed);
}

/**
 * chain.md §4.1: EIP-191 personal signature of the 32 raw bytes of `hash`, as
 * `0x` r‖s‖v (v 27/28), lowercase, 132 characters. viem signs deterministically (RFC 6979).
 */
export async function signMessageHash(signer: MessageSigner, hash: Hex): Promise<Hex> {
  const signature = await signer.signMessage({ message: { raw: hash } });
  const parsed = parseRsSignature(signature);
  if (!parsed || signature.length !== 132 || parsed.v === undefined) {
    throw new Error(`signMessageHash: unexpected signature shape from signer: ${signature}`);
  }
  // Some signers return the y parity (0/1) instead of 27/28.
  const v = parsed.v < 27 ? parsed.v + 27 : parsed.v;
  if (v !== 27 && v !== 28) throw new Error(`signMessageHash: unexpected v ${parsed.v}`);
  return `0x${signature.slice(signature.length - 130, -2).toLowerCase()}${v.toString(16)}`;
}

/** The authorization handed to a worker with its replicate (R1) or used with the Result Proxy. */
export async function signWorkerpoolAuthorization(
  signer: MessageSigner,
  fields: { chainTaskId: string; workerWallet: string; enclaveChallenge: string },
): Promise<WorkerpoolAuthorization> {
  const { chainTaskId, workerWallet, enclaveChallenge } = fields;
  const hash = workerpoolAuthorizationHash(workerWallet, chainTaskId, enclaveChallenge);
  const value = await signMessageHash(signer, hash);
  return { chainTaskId, workerWallet, enclaveChallenge, signature: { value } };
}

/**
 * `Authorization` header value of the SMS enclave-challenge request (services.md §5.2): the
 * §5.6 signature with worker "" and enclave "", i.e. over keccak256(chainTaskId bytes).
 */
export async function smsChallengeAuthorizationSignature(
  signer: MessageSigner,
  chainTaskId: string,
): Promise<Hex> {
  return signMessageHash(signer, workerpoolAuthorizationHash('', chainTaskId, ''));
}

/**
 * The worker-side check (§5.6): recover, using `v`, the signer of the prefixed authorization
 * hash. Lowercase address, or undefined when the signature is malformed.
 */
export function recoverWorkerpoolAuthorizationSigner(
  auth: WorkerpoolAuthorization,
): Address | undefined {
  const sig = parseRsSignature(auth?.signature?.value);
  if (!sig || sig.v === undefined) return undefined;
  const { workerWallet, chainTaskId, enclaveChallenge } = auth;
  if (![workerWallet, chainTaskId, enclaveChallenge].every((f) => typeof f === 'string'))
    return undefined;
  const recoveryId = sig.v >= 27 ? sig.v - 27 : sig.v;
  if (recoveryId !== 0 && recoveryId !== 1) return undefined;
  const hash = workerpoolAuthorizationHash(workerWallet, chainTaskId, enclaveChallenge);
  return recoverAddressWithId(hashMessage({ raw: hash }), sig, recoveryId);
}

/** True when `auth` is signed by `address` (compared case-insensitively, as the worker does). */
export function isWorkerpoolAuthorizationSignedBy(
  auth: WorkerpoolAuthorization,
  address: string,
): boolean {
  const signer = recoverWorkerpoolAuthorizationSigner(auth);
  return signer !== undefined && typeof address === 'string' && signer === address.toLowerCase();
}
