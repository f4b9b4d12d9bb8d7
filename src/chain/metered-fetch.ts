import type { RpcOutcome } from '../metrics/operation-meters.js';
import type { RpcRequestInit, RpcResponse } from './node-http-fetch.js';

export type RpcFetch = (url: string | URL, init?: RpcRequestInit) => Promise<RpcResponse>;
export type RpcCallObserver = (method: string, outcome: RpcOutcome, seconds: number) => void;

/** The JSON-RPC method(s) of a request body: one per call of a batch. */
export function rpcMethodsOf(body: string | undefined): string[] {
  if (!body) return ['unknown'];
  try {
    const parsed = JSON.parse(body) as unknown;
    const calls = Array.isArray(parsed) ? parsed : [parsed];
    return calls.map((c) => String((c as { method?: unknown })?.method ?? 'unknown'));
  } catch {
    return ['unknown'];
  }
}

/**
 * Whether a JSON-RPC answer is an error. Only the head is looked at: a single answer is
 * `{"jsonrpc":"2.0","id":1,"error":…}` or `…"result":…`, and parsing a large eth_getLogs answer
 * twice (viem parses it too) would cost more than the whole call.
 */
export function isRpcErrorAnswer(text: string): boolean {
  const head = text.slice(0, 120);
  const error = head.indexOf('"error"');
  const result = head.indexOf('"result"');
  return error >= 0 && (result < 0 || error < result);
}

/** A fetch for viem's transport that reports each JSON-RPC call: method, outcome, duration. */
export function meteredFetch(fetch: RpcFetch, observe: RpcCallObserver): RpcFetch {
  return async (url, init) => {
    const methods = rpcMethodsOf(init?.body);
    const started = performance.now();
    const report = (outcome: RpcOutcome) => {
      const seconds = (performance.now() - started) / 1000;
      for (const method of methods) observe(method, outcome, seconds);
    };
    let response: RpcResponse;
    try {
      response = await fetch(url, init);
    } catch (error) {
      report('failure');
      throw error;
    }
    if (!response.ok) {
      report('failure');
      return response;
    }
    // nodeHttpFetch buffers the body: text() can be read here and again by viem.
    report(isRpcErrorAnswer(await response.text()) ? 'error' : 'success');
    return response;
  };
}
