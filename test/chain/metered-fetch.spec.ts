import { isRpcErrorAnswer, meteredFetch, rpcMethodsOf } from '../../src/chain/metered-fetch.js';
import type { RpcResponse } from '../../src/chain/node-http-fetch.js';

const answer = (status: number, text: string): RpcResponse => ({
  ok: status >= 200 && status < 300,
  status,
  statusText: '',
  headers: { get: () => null },
  body: null,
  text: () => Promise.resolve(text),
  json: () => Promise.resolve(JSON.parse(text) as unknown),
});

describe('RPC call metering', () => {
  it('reads the method of a call, each method of a batch', () => {
    expect(rpcMethodsOf('{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}')).toEqual([
      'eth_blockNumber',
    ]);
    expect(rpcMethodsOf('[{"method":"eth_call"},{"method":"eth_getLogs"}]')).toEqual([
      'eth_call',
      'eth_getLogs',
    ]);
    expect(rpcMethodsOf(undefined)).toEqual(['unknown']);
  });

  it('tells a JSON-RPC error answer from a result, even one mentioning "error" later', () => {
    expect(isRpcErrorAnswer('{"jsonrpc":"2.0","id":1,"error":{"code":-32000}}')).toBe(true);
    expect(isRpcErrorAnswer('{"jsonrpc":"2.0","id":1,"result":"0x1","x":"error"}')).toBe(false);
    expect(isRpcErrorAnswer('{"jsonrpc":"2.0","id":1,"result":{"error":1}}')).toBe(false);
  });

  it('reports success, error and failure, and hands viem a readable answer', async () => {
    const seen: string[] = [];
    const observe = (method: string, outcome: string) => seen.push(`${method} ${outcome}`);
    const body = '{"jsonrpc":"2.0","id":1,"method":"eth_call"}';
    const ok = meteredFetch(async () => answer(200, '{"id":1,"result":"0x2a"}'), observe);
    expect(await (await ok('http://node', { body })).json()).toEqual({ id: 1, result: '0x2a' });
    await meteredFetch(async () => answer(200, '{"id":1,"error":{}}'), observe)('http://n', {
      body,
    });
    await meteredFetch(async () => answer(429, 'slow down'), observe)('http://n', { body });
    const down = meteredFetch(async () => Promise.reject(new Error('ECONNREFUSED')), observe);
    await expect(down('http://n', { body })).rejects.toThrow('ECONNREFUSED');
    expect(seen).toEqual([
      'eth_call success',
      'eth_call error',
      'eth_call failure',
      'eth_call failure',
    ]);
  });
});
