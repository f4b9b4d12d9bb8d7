// The hashes and signatures of the task protocol (PoCo IexecPoco2Facet), as plain functions.
import { encodePacked, keccak256, type Address, type Hex, type LocalAccount } from 'viem';

/** chainTaskId = keccak256(abi.encodePacked(dealid, idx)). */
export function taskIdOf(dealId: Hex, index: number | bigint): Hex {
  return keccak256(encodePacked(['bytes32', 'uint256'], [dealId, BigInt(index)]));
}

/** dealid = keccak256(abi.encodePacked(requestorderHash, index of its first task)). */
export function dealIdOf(requestOrderHash: Hex, botFirst: number | bigint): Hex {
  return keccak256(encodePacked(['bytes32', 'uint256'], [requestOrderHash, BigInt(botFirst)]));
}

/** What a worker commits at contribute: keccak256(abi.encodePacked(taskid, resultDigest)). */
export function resultHashOf(taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['bytes32', 'bytes32'], [taskId, resultDigest]));
}

/** Binds the result to the worker: keccak256(abi.encodePacked(worker, taskid, resultDigest)). */
export function resultSealOf(worker: Address, taskId: Hex, resultDigest: Hex): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'bytes32'], [worker, taskId, resultDigest]));
}

/** keccak256(abi.encodePacked(worker, taskid, enclaveChallenge)). */
export function workerpoolAuthorizationHash(worker: Address, taskId: Hex, enclave: Address): Hex {
  return keccak256(encodePacked(['address', 'bytes32', 'address'], [worker, taskId, enclave]));
}

export interface WorkerpoolAuthorization {
  worker: Address;
  taskId: Hex;
  enclaveChallenge: Address;
  /** EIP-191 personal signature (r‖s‖v) of the workerpool owner over the hash. */
  sign: Hex;
}

/**
 * The scheduler (workerpool owner) allows `worker` to contribute to `taskId` with this enclave
 * (zero address for a standard task). An EIP-191 personal sign, not EIP-712.
 */
export async function signWorkerpoolAuthorization(
  workerpoolOwner: LocalAccount,
  worker: Address,
  taskId: Hex,
  enclaveChallenge: Address,
): Promise<WorkerpoolAuthorization> {
  const hash = workerpoolAuthorizationHash(worker, taskId, enclaveChallenge);
  const sign = await workerpoolOwner.signMessage({ message: { raw: hash } });
  return { worker, taskId, enclaveChallenge, sign };
}

/** TEE tasks: the enclave's personal sign over keccak256(abi.encodePacked(resultHash, resultSeal)). */
export function signEnclaveResult(
  enclave: LocalAccount,
  resultHash: Hex,
  resultSeal: Hex,
): Promise<Hex> {
  const hash = keccak256(encodePacked(['bytes32', 'bytes32'], [resultHash, resultSeal]));
  return enclave.signMessage({ message: { raw: hash } });
}
