import { logRangeError, planCall, type CallPlan } from '../../devstack/chain/rpc-lag-view.js';

const lagging = { head: 100n, lagging: true };
const plan = (method: string, params: unknown[] = [], options = lagging): CallPlan =>
  planCall({ method, params }, options);

describe('fault proxy lagged view', () => {
  it('answers the served head and moves head tags (or a missing block) to it', () => {
    expect(plan('eth_blockNumber')).toEqual({ kind: 'answer', result: '0x64' });
    expect(plan('eth_call', [{ to: '0x1' }, 'pending'])).toEqual({
      kind: 'forward',
      params: [{ to: '0x1' }, '0x64'],
    });
    expect(plan('eth_estimateGas', [{ to: '0x1' }])).toEqual({
      kind: 'forward',
      params: [{ to: '0x1' }, '0x64'],
    });
    expect(plan('eth_getStorageAt', ['0x1', '0x0', 'safe'])).toMatchObject({
      params: ['0x1', '0x0', '0x64'],
    });
    expect(plan('eth_getBalance', ['0x1', '0x10'])).toMatchObject({ params: ['0x1', '0x10'] });
    expect(plan('eth_sendRawTransaction', ['0xf8'])).toEqual({
      kind: 'forward',
      params: ['0xf8'],
    });
  });

  it('hides blocks above the served head', () => {
    expect(plan('eth_getBlockByNumber', ['0x65', false])).toEqual({ kind: 'answer', result: null });
    expect(plan('eth_getBlockByNumber', ['latest', false])).toMatchObject({
      params: ['0x64', false],
    });
    const receipt = plan('eth_getTransactionReceipt', ['0xabc']);
    if (receipt.kind !== 'forward') throw new Error('forwarded expected');
    expect(receipt.filter?.({ blockNumber: '0x65' })).toBeNull();
    expect(receipt.filter?.({ blockNumber: '0x64' })).toEqual({ blockNumber: '0x64' });
  });

  it('clamps eth_getLogs to the served head, [] when it starts above it', () => {
    expect(plan('eth_getLogs', [{ fromBlock: '0x60', toBlock: '0x1000' }])).toMatchObject({
      params: [{ fromBlock: '0x60', toBlock: '0x64' }],
    });
    expect(plan('eth_getLogs', [{ fromBlock: '0x65' }])).toEqual({ kind: 'answer', result: [] });
  });

  it('refuses ranges above the cap, `latest` being the served head', () => {
    const capped = { head: 1000n, lagging: false, maxLogRange: 100 };
    expect(plan('eth_getLogs', [{ fromBlock: '0x385' }], capped)).toMatchObject({
      kind: 'forward',
    }); // 901..1000: 100 blocks
    expect(plan('eth_getLogs', [{ fromBlock: '0x384' }], capped)).toEqual({
      kind: 'error',
      error: logRangeError('alchemy', 100, 900n, 1000n),
    });
    expect(logRangeError('alchemy', 500, 16n, 1000n)).toEqual({
      code: -32600,
      message:
        'You can make eth_getLogs requests with up to a 500 block range. Based on your parameters, this block range should work: [0x10, 0x203]',
    });
    expect(logRangeError('infura', 10000, 1n, 1000000n)).toEqual({
      code: -32602,
      message: 'range 1000000 exceeds limit of 10000',
    });
  });
});
