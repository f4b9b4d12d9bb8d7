// What the simulated application "computes": a deterministic result derived from the task, so that
// honest workers agree and liars do not. No Docker, no files: the digest is all PoCo needs.
import {
  encodeAbiParameters,
  encodePacked,
  keccak256,
  stringToHex,
  type Address,
  type Hex,
} from 'viem';
import { resultHashOf, resultSealOf } from '../poco/signatures.js';

/** The salt every honest worker uses: same task → same digest → consensus. */
export const HONEST_RESULT_SALT = 'iexec-simulated-app/v1';

/** The result a liar computes unless told otherwise: one of its own (liars do not collude). */
export function wrongResultSalt(wallet: string): string {
  return `wrong-result/${wallet.toLowerCase()}`;
}

export interface SimulatedResult {
  /** resultDigest: what is revealed (keccak256 of the callback data for callback deals). */
  digest: Hex;
  /** Callback deals only: the bytes PoCo hands to the callback contract (`resultsCallback`). */
  callbackData: Hex | null;
}

/** Hash and seal of a contribution (IexecPoco2Facet.contribute). */
export interface SealedResult extends SimulatedResult {
  resultHash: Hex;
  resultSeal: Hex;
}

export function isCallbackAddress(callback: string | null | undefined): callback is Address {
  return !!callback && /^0x[0-9a-fA-F]{40}$/.test(callback) && BigInt(callback) !== 0n;
}

/**
 * The application result of `chainTaskId` with `salt`.
 * - standard deal: digest = keccak256(abi.encodePacked(bytes32 taskid, string salt));
 * - callback deal: the result *is* the callback data, abi.encode(bytes32 taskid, string salt),
 *   and digest = keccak256(callbackData), which PoCo requires at finalize / contributeAndFinalize
 *   (`keccak256(_resultsCallback) == resultDigest`, IexecPoco2Facet).
 */
export function simulatedResult(
  chainTaskId: Hex,
  salt: string,
  callback?: string | null,
): SimulatedResult {
  if (isCallbackAddress(callback)) {
    const callbackData = callbackDataOf(chainTaskId, salt);
    return { digest: keccak256(callbackData), callbackData };
  }
  return {
    digest: keccak256(encodePacked(['bytes32', 'string'], [chainTaskId, salt])),
    callbackData: null,
  };
}

export function callbackDataOf(chainTaskId: Hex, salt: string): Hex {
  return encodeAbiParameters([{ type: 'bytes32' }, { type: 'string' }], [chainTaskId, salt]);
}

/** resultHash = keccak256(taskid ‖ digest), resultSeal = keccak256(worker ‖ taskid ‖ digest). */
export function sealResult(
  result: SimulatedResult,
  worker: Address,
  chainTaskId: Hex,
): SealedResult {
  return {
    ...result,
    resultHash: resultHashOf(chainTaskId, result.digest),
    resultSeal: resultSealOf(worker, chainTaskId, result.digest),
  };
}

/**
 * The result link the Java worker reports (and the scheduler finalizes with, as UTF-8 bytes):
 * `{ "storage": "<provider>", "location": "<location>" }`.
 */
export function resultLink(storage: string, location: string): string {
  return `{ "storage": "${storage}", "location": "${location}" }`;
}

/** Callback deals: nothing is uploaded, the link points at the callback contract. */
export function web3ResultLink(callback: Address): string {
  return resultLink('ethereum', callback);
}

/** The bytes of the "result archive" the worker uploads (stands in for the zip). */
export function resultArchive(
  chainTaskId: Hex,
  wallet: string,
  result: SimulatedResult,
): Uint8Array {
  const text = JSON.stringify({
    chainTaskId,
    worker: wallet,
    resultDigest: result.digest,
    callbackData: result.callbackData,
    app: HONEST_RESULT_SALT,
  });
  return new TextEncoder().encode(text);
}

/** The `results` bytes given to contributeAndFinalize: the result link as UTF-8. */
export function resultLinkBytes(link: string): Hex {
  return stringToHex(link);
}

/** stdout of the simulated app (reported in COMPUTED's compute logs). */
export function simulatedStdout(chainTaskId: string, digest: Hex): string {
  return `simulated app: task ${chainTaskId}\nresult digest ${digest}\n`;
}
