import { decodeFunctionData } from 'viem';
import { hubAbi } from '../../../src/chain/poco-abi.js';
import {
  initializeCall,
  MAX_INITIALIZE_BATCH,
  takeInitializeBatch,
} from '../../../src/chain/writer/initialize-batch.js';

const DEAL = `0x${'ab'.repeat(32)}`;
const request = (i: number) => ({ chainDealId: DEAL, taskIndex: i, chainTaskId: `task-${i}` });

describe('takeInitializeBatch', () => {
  it('takes up to a batch in arrival order and leaves the rest waiting', () => {
    const pending = Array.from({ length: MAX_INITIALIZE_BATCH + 3 }, (_, i) => request(i));
    const batch = takeInitializeBatch(pending, new Set());
    expect(batch.map((r) => r.taskIndex)).toEqual([...Array(MAX_INITIALIZE_BATCH).keys()]);
    expect(pending.map((r) => r.taskIndex)).toEqual([10, 11, 12]);
  });

  it('sends a task of a reverted batch alone, before the others', () => {
    const pending = [request(0), request(1), request(2)];
    expect(takeInitializeBatch(pending, new Set(['task-1']))).toEqual([request(1)]);
    expect(takeInitializeBatch(pending, new Set(['task-1']))).toEqual([request(0), request(2)]);
    expect(pending).toEqual([]);
  });

  it('never puts the same task twice in one batch', () => {
    const pending = [request(0), request(0), request(1)];
    expect(takeInitializeBatch(pending, new Set())).toEqual([request(0), request(1)]);
    expect(pending).toEqual([request(0)]);
  });
});

describe('initializeCall', () => {
  it('is initialize for one task, with its gas limit', () => {
    const call = initializeCall([request(4)]);
    const decoded = decodeFunctionData({ abi: hubAbi, data: call.data });
    expect(decoded.functionName).toBe('initialize');
    expect(decoded.args).toEqual([DEAL, 4n]);
    expect(call.gas).toBe(300_000n);
  });

  it('is initializeArray for several, the gas limit scaled by their number', () => {
    const call = initializeCall([request(1), request(2), request(3)]);
    const decoded = decodeFunctionData({ abi: hubAbi, data: call.data });
    expect(decoded.functionName).toBe('initializeArray');
    expect(decoded.args).toEqual([
      [DEAL, DEAL, DEAL],
      [1n, 2n, 3n],
    ]);
    expect(call.gas).toBe(900_000n);
  });
});
