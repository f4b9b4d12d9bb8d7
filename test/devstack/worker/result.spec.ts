import {
  decodeAbiParameters,
  encodePacked,
  hexToString,
  keccak256,
  stringToHex,
  zeroAddress,
  type Hex,
} from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import {
  callbackDataOf,
  HONEST_RESULT_SALT,
  isCallbackAddress,
  resultLink,
  resultLinkBytes,
  sealResult,
  simulatedResult,
  web3ResultLink,
  wrongResultSalt,
} from '../../../devstack/worker/result.js';

const taskId: Hex = '0xd94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8';
const worker = workerAccount(0).address;

describe('simulated result (digest, hash, seal)', () => {
  it('derives the digest from the task: keccak256(taskid ‖ salt), same for every honest worker', () => {
    const result = simulatedResult(taskId, HONEST_RESULT_SALT);
    expect(result.digest).toBe(
      keccak256(encodePacked(['bytes32', 'string'], [taskId, HONEST_RESULT_SALT])),
    );
    expect(result.callbackData).toBeNull();
    expect(simulatedResult(taskId, HONEST_RESULT_SALT)).toEqual(result);
    expect(simulatedResult(`0x${'00'.repeat(32)}`, HONEST_RESULT_SALT).digest).not.toBe(
      result.digest,
    );
  });

  it('gives every liar a digest of its own', () => {
    const honest = simulatedResult(taskId, HONEST_RESULT_SALT).digest;
    const liar1 = simulatedResult(taskId, wrongResultSalt(workerAccount(1).address)).digest;
    const liar2 = simulatedResult(taskId, wrongResultSalt(workerAccount(2).address)).digest;
    expect(new Set([honest, liar1, liar2]).size).toBe(3);
  });

  it('computes PoCo resultHash = keccak256(taskid ‖ digest) and resultSeal = keccak256(worker ‖ taskid ‖ digest)', () => {
    const result = simulatedResult(taskId, HONEST_RESULT_SALT);
    const sealed = sealResult(result, worker, taskId);
    // packed encoding written out byte by byte: 32 + 32 and 20 + 32 + 32 bytes
    const hashInput = `${taskId}${result.digest.slice(2)}` as Hex;
    const sealInput = `${worker.toLowerCase()}${taskId.slice(2)}${result.digest.slice(2)}` as Hex;
    expect(sealed.resultHash).toBe(keccak256(hashInput));
    expect(sealed.resultSeal).toBe(keccak256(sealInput));
    expect(sealed.digest).toBe(result.digest);
    // the seal binds the worker: another worker with the same digest has another seal
    expect(sealResult(result, workerAccount(1).address, taskId).resultSeal).not.toBe(
      sealed.resultSeal,
    );
    expect(sealResult(result, workerAccount(1).address, taskId).resultHash).toBe(sealed.resultHash);
  });
});

describe('callback deals', () => {
  const callback = '0x1111111111111111111111111111111111111111';

  it('makes the callback data the result: digest = keccak256(callbackData), as PoCo checks at finalize', () => {
    const result = simulatedResult(taskId, HONEST_RESULT_SALT, callback);
    expect(result.callbackData).toBe(callbackDataOf(taskId, HONEST_RESULT_SALT));
    expect(result.digest).toBe(keccak256(result.callbackData!));
    const [decodedTask, decodedSalt] = decodeAbiParameters(
      [{ type: 'bytes32' }, { type: 'string' }],
      result.callbackData!,
    );
    expect([decodedTask, decodedSalt]).toEqual([taskId, HONEST_RESULT_SALT]);
    // a liar's callback data differs, and so does its digest
    const liar = simulatedResult(taskId, wrongResultSalt(worker), callback);
    expect(liar.callbackData).not.toBe(result.callbackData);
    expect(liar.digest).toBe(keccak256(liar.callbackData!));
  });

  it('ignores the zero address and malformed addresses', () => {
    expect(isCallbackAddress(zeroAddress)).toBe(false);
    expect(isCallbackAddress('')).toBe(false);
    expect(isCallbackAddress(null)).toBe(false);
    expect(isCallbackAddress('0x1234')).toBe(false);
    expect(isCallbackAddress(callback)).toBe(true);
    expect(simulatedResult(taskId, HONEST_RESULT_SALT, zeroAddress).callbackData).toBeNull();
  });
});

describe('result links (what finalize writes as results)', () => {
  it('renders the Java worker link JSON, as UTF-8 bytes for contributeAndFinalize', () => {
    const link = resultLink('ipfs', '/ipfs/QmHash');
    expect(link).toBe('{ "storage": "ipfs", "location": "/ipfs/QmHash" }');
    expect(JSON.parse(link)).toEqual({ storage: 'ipfs', location: '/ipfs/QmHash' });
    expect(resultLinkBytes(link)).toBe(stringToHex(link));
    expect(hexToString(resultLinkBytes(link))).toBe(link);
    expect(JSON.parse(web3ResultLink('0x1111111111111111111111111111111111111111'))).toEqual({
      storage: 'ethereum',
      location: '0x1111111111111111111111111111111111111111',
    });
  });
});
