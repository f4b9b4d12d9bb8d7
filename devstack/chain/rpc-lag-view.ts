// Pure rules of the fault proxy's lagged view (rpc-fault-proxy.ts): which JSON-RPC parameters
// carry a block, how a call is rewritten to an older head, and what a range refusal looks like.
// A lagging node answers everything from its own head, so every block tag must move, not only
// eth_blockNumber.

export interface JsonRpcCall {
  jsonrpc?: string;
  id?: unknown;
  method: string;
  params?: unknown[];
}

export interface JsonRpcError {
  code: number;
  message: string;
}

/** What the proxy does with one call once the head it serves is known. */
export type CallPlan =
  | { kind: 'answer'; result: unknown }
  | { kind: 'error'; error: JsonRpcError }
  | {
      kind: 'forward';
      params: unknown[];
      /** Post-processing of the node's result (e.g. hide what is above the served head). */
      filter?: (result: unknown) => unknown;
    };

const HEAD_TAGS = new Set(['latest', 'pending', 'safe', 'finalized']);

/** Index of the block parameter; the node's default for a missing one is `latest`. */
const BLOCK_PARAM: Record<string, number> = {
  eth_call: 1,
  eth_estimateGas: 1,
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_getStorageAt: 2,
  eth_getProof: 2,
  eth_feeHistory: 1,
};

/** Methods whose block parameter is the first one and that answer null above the head. */
const BLOCK_LOOKUP = new Set([
  'eth_getBlockByNumber',
  'eth_getBlockTransactionCountByNumber',
  'eth_getUncleCountByBlockNumber',
]);

/** Methods answering an object with `blockNumber`, hidden (null) when above the served head. */
const TX_LOOKUP = new Set([
  'eth_getTransactionReceipt',
  'eth_getTransactionByHash',
  'eth_getTransactionByBlockHashAndIndex',
]);

export type LogRangeErrorStyle = 'alchemy' | 'infura';

export const hex = (value: bigint): string => `0x${value.toString(16)}`;

function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return undefined;
}

/**
 * The block a tag or number designates when the served head is `head`; undefined for what is
 * not a block number or head tag (`earliest` → 0).
 */
export function resolveBlock(value: unknown, head: bigint): bigint | undefined {
  if (value === undefined || value === null) return head;
  if (typeof value === 'string' && HEAD_TAGS.has(value)) return head;
  if (value === 'earliest') return 0n;
  return toBigInt(value);
}

/** Does the call need the served head to be planned? */
export function needsHead(call: JsonRpcCall, lagging: boolean, maxLogRange?: number): boolean {
  if (call.method === 'eth_getLogs') return lagging || maxLogRange !== undefined;
  if (!lagging) return false;
  return (
    call.method === 'eth_blockNumber' ||
    call.method in BLOCK_PARAM ||
    BLOCK_LOOKUP.has(call.method) ||
    call.method === 'eth_getBlockByHash' ||
    TX_LOOKUP.has(call.method)
  );
}

/** Hides an object whose `blockNumber` (or `number`, for blocks) is above the served head. */
function hideAbove(head: bigint, field: 'blockNumber' | 'number') {
  return (result: unknown): unknown => {
    if (!result || typeof result !== 'object') return result;
    const block = toBigInt((result as Record<string, unknown>)[field]);
    return block !== undefined && block > head ? null : result;
  };
}

/** A block parameter moved to the served head: head tags become its number. */
function moveTag(value: unknown, head: bigint): unknown {
  if (value === undefined || value === null) return hex(head);
  if (typeof value === 'string' && HEAD_TAGS.has(value)) return hex(head);
  if (value && typeof value === 'object' && 'blockNumber' in value) {
    const inner = (value as { blockNumber: unknown }).blockNumber;
    return { ...value, blockNumber: moveTag(inner, head) };
  }
  return value;
}

export function logRangeError(
  style: LogRangeErrorStyle,
  limit: number,
  from: bigint,
  to: bigint,
): JsonRpcError {
  if (style === 'infura') {
    // live Infura (2025): -32602 "range 1000000 exceeds limit of 10000"
    return { code: -32602, message: `range ${to - from + 1n} exceeds limit of ${limit}` };
  }
  // Alchemy (2025): -32600 with the range it would accept from the same start
  return {
    code: -32600,
    message:
      `You can make eth_getLogs requests with up to a ${limit} block range. Based on your ` +
      `parameters, this block range should work: [${hex(from)}, ${hex(from + BigInt(limit) - 1n)}]`,
  };
}

export interface PlanOptions {
  /** Head the proxy serves (the real one when nothing lags). */
  head: bigint;
  /** Rewrite head tags and hide what is above `head`. */
  lagging: boolean;
  maxLogRange?: number;
  logRangeError?: LogRangeErrorStyle;
}

function planLogs(call: JsonRpcCall, options: PlanOptions): CallPlan {
  const { head, lagging, maxLogRange } = options;
  const filter = { ...((call.params?.[0] as Record<string, unknown> | undefined) ?? {}) };
  if (filter.blockHash === undefined) {
    const from = resolveBlock(filter.fromBlock, head);
    let to = resolveBlock(filter.toBlock, head);
    if (from !== undefined && to !== undefined) {
      if (lagging) {
        if (from > head) return { kind: 'answer', result: [] };
        if (to > head) to = head;
        filter.fromBlock = hex(from);
        filter.toBlock = hex(to);
      }
      if (maxLogRange !== undefined && to - from + 1n > BigInt(maxLogRange)) {
        return {
          kind: 'error',
          error: logRangeError(options.logRangeError ?? 'alchemy', maxLogRange, from, to),
        };
      }
    }
  }
  const hide = (result: unknown) =>
    Array.isArray(result)
      ? result.filter((log) => {
          const block = toBigInt((log as { blockNumber?: unknown }).blockNumber);
          return block === undefined || block <= head;
        })
      : result;
  return { kind: 'forward', params: [filter, ...(call.params ?? []).slice(1)], filter: hide };
}

/** How to serve one call from the head `options.head`. */
export function planCall(call: JsonRpcCall, options: PlanOptions): CallPlan {
  const params = [...(call.params ?? [])];
  const { head, lagging } = options;
  if (call.method === 'eth_getLogs') return planLogs(call, options);
  if (!lagging) return { kind: 'forward', params };
  if (call.method === 'eth_blockNumber') return { kind: 'answer', result: hex(head) };
  const index = BLOCK_PARAM[call.method];
  if (index !== undefined) {
    // eth_estimateGas and eth_feeHistory take an optional block: fill the gap only if needed
    while (params.length < index) params.push(undefined);
    params[index] = moveTag(params[index], head);
    return { kind: 'forward', params };
  }
  if (BLOCK_LOOKUP.has(call.method)) {
    const block = resolveBlock(params[0], head);
    if (block !== undefined && block > head) return { kind: 'answer', result: null };
    params[0] = moveTag(params[0], head);
    return { kind: 'forward', params };
  }
  if (call.method === 'eth_getBlockByHash') {
    return { kind: 'forward', params, filter: hideAbove(head, 'number') };
  }
  if (TX_LOOKUP.has(call.method)) {
    return { kind: 'forward', params, filter: hideAbove(head, 'blockNumber') };
  }
  return { kind: 'forward', params };
}

/** Range of an eth_getLogs filter as the node would resolve it (for the proxy's stats). */
export function logRange(call: JsonRpcCall, head: bigint): bigint | undefined {
  const filter = (call.params?.[0] as Record<string, unknown> | undefined) ?? {};
  if (filter.blockHash !== undefined) return 1n;
  const from = resolveBlock(filter.fromBlock, head);
  const to = resolveBlock(filter.toBlock, head);
  return from === undefined || to === undefined ? undefined : to - from + 1n;
}
