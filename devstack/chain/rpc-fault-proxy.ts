// A JSON-RPC proxy in front of the local chain node that injects the faults of real RPC
// providers (latency, dropped or unanswered requests, a lagging head, capped eth_getLogs
// ranges, 429/503 bursts, outages), per test. Put it between the scheduler and the node only:
// workers keep the node itself, as real workers use their own nodes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { nodeHttpFetch } from '../../src/chain/node-http-fetch.js';
import {
  hex,
  logRange,
  needsHead,
  planCall,
  type CallPlan,
  type JsonRpcCall,
  type LogRangeErrorStyle,
} from './rpc-lag-view.js';

export interface RpcFaults {
  /** Added before forwarding each request. */
  latencyMs?: number;
  /** 0..1: share of requests answered by closing the socket. */
  dropShare?: number;
  /** 0..1: share of requests never answered (held until the client gives up). */
  timeoutShare?: number;
  /** Serve a head N blocks behind the real head. */
  lagBlocks?: number;
  /**
   * Serve the newest block whose timestamp is at least T ms old (against the wall clock, or the
   * real head's timestamp when chain time is ahead of it, e.g. after evm_increaseTime).
   * Timestamps are in seconds, so T is rounded to whole seconds in effect.
   */
  lagMs?: number;
  /** Refuse eth_getLogs whose (toBlock - fromBlock + 1) exceeds N (`latest` = served head). */
  maxLogRange?: number;
  /** Error text of the refusal: Alchemy's (default, -32600) or Infura's (-32602). */
  logRangeError?: LogRangeErrorStyle;
  /** The next `count` requests get that HTTP status. */
  burst?: { status: 429 | 503; count: number };
  /** Connection refused (server closed) for T ms from now, then back. */
  downForMs?: number;
}

export interface RpcFaultProxyStats {
  /** HTTP requests received (a batch is one). */
  requests: number;
  /** JSON-RPC calls by method (each call of a batch counted). */
  byMethod: Record<string, number>;
  refusedLogRanges: number;
  /** Largest eth_getLogs range asked (after lag rewriting), 0 if none. */
  maxLogRangeAsked: number;
  dropped: number;
  timedOut: number;
  /** Requests answered with the burst's HTTP status. */
  burstAnswered: number;
  /** Times the proxy went down (downForMs). */
  outages: number;
}

export interface RpcFaultProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Replaces the current faults (a running outage ends unless `downForMs` is given again). */
  setFaults(faults: RpcFaults): void;
  /** No faults, stats kept. */
  reset(): void;
  stats(): RpcFaultProxyStats;
  /** Head the proxy serves right now (the real head when nothing lags). */
  servedHead(): Promise<bigint>;
  stop(): Promise<void>;
}

export interface RpcFaultProxyOptions {
  /** The node's JSON-RPC URL. */
  target: string;
  /** Default: a free port. */
  port?: number;
  faults?: RpcFaults;
  /** Source of the drop/timeout draws (default Math.random). */
  random?: () => number;
}

interface RpcAnswer {
  jsonrpc: '2.0';
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

const emptyStats = (): RpcFaultProxyStats => ({
  requests: 0,
  byMethod: {},
  refusedLogRanges: 0,
  maxLogRangeAsked: 0,
  dropped: 0,
  timedOut: 0,
  burstAnswered: 0,
  outages: 0,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startRpcFaultProxy(options: RpcFaultProxyOptions): Promise<RpcFaultProxy> {
  const random = options.random ?? Math.random;
  let faults: RpcFaults = {};
  let burstLeft = 0;
  const counters = emptyStats();
  let stopped = false;
  let downTimer: NodeJS.Timeout | undefined;
  let listening: Promise<void> = Promise.resolve();
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  let nextId = 1;
  // the lagMs search costs a few reads: memoized per (real head, cut-off second)
  let timeLag: { key: string; head: bigint } | undefined;

  async function node(calls: JsonRpcCall[]): Promise<RpcAnswer[]> {
    const response = await nodeHttpFetch(options.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(calls),
    });
    if (!response.ok) throw new Error(`node answered HTTP ${response.status}`);
    return (await response.json()) as RpcAnswer[];
  }

  async function nodeResult(method: string, params: unknown[]): Promise<unknown> {
    const [answer] = await node([{ jsonrpc: '2.0', id: nextId++, method, params }]);
    if (!answer || answer.error) throw new Error(`${method}: ${answer?.error?.message}`);
    return answer.result;
  }

  const blockTime = async (number: bigint): Promise<bigint> => {
    const block = (await nodeResult('eth_getBlockByNumber', [hex(number), false])) as {
      timestamp: string;
    };
    return BigInt(block.timestamp);
  };

  /** Newest block with timestamp ≤ cut-off (binary search, timestamps never decrease). */
  async function headByTime(realHead: bigint, lagMs: number): Promise<bigint> {
    const headTime = await blockTime(realHead);
    const reference = BigInt(Math.max(Date.now(), Number(headTime) * 1000));
    const cutoff = (reference - BigInt(Math.ceil(lagMs))) / 1000n;
    const key = `${realHead}:${cutoff}`;
    if (timeLag?.key === key) return timeLag.head;
    let low = 0n;
    let high = realHead;
    if (headTime <= cutoff) low = realHead;
    while (low < high) {
      const middle = (low + high + 1n) / 2n;
      if ((await blockTime(middle)) <= cutoff) low = middle;
      else high = middle - 1n;
    }
    timeLag = { key, head: low };
    return low;
  }

  async function servedHead(): Promise<bigint> {
    const realHead = BigInt((await nodeResult('eth_blockNumber', [])) as string);
    let head = realHead;
    if (faults.lagBlocks)
      head = realHead > BigInt(faults.lagBlocks) ? head - BigInt(faults.lagBlocks) : 0n;
    if (faults.lagMs) {
      const byTime = await headByTime(realHead, faults.lagMs);
      if (byTime < head) head = byTime;
    }
    return head;
  }

  async function serveCalls(calls: JsonRpcCall[]): Promise<RpcAnswer[]> {
    const lagging = Boolean(faults.lagBlocks || faults.lagMs);
    const planning = {
      lagging,
      maxLogRange: faults.maxLogRange,
      logRangeError: faults.logRangeError,
    };
    const anyNeedsHead = calls.some((call) => needsHead(call, lagging, faults.maxLogRange));
    // one head for the whole request: a batch sees one consistent older chain
    const head = anyNeedsHead ? await servedHead() : 0n;
    const plans: CallPlan[] = calls.map((call) => {
      counters.byMethod[call.method] = (counters.byMethod[call.method] ?? 0) + 1;
      if (call.method === 'eth_getLogs') {
        const range = logRange(call, head);
        if (range !== undefined && Number(range) > counters.maxLogRangeAsked)
          counters.maxLogRangeAsked = Number(range);
      }
      if (!anyNeedsHead) return { kind: 'forward', params: call.params ?? [] };
      const plan = planCall(call, { ...planning, head });
      if (plan.kind === 'error') counters.refusedLogRanges++;
      return plan;
    });
    const forwarded = new Map<number, number>(); // internal id → index in calls
    const outgoing: JsonRpcCall[] = [];
    plans.forEach((plan, index) => {
      if (plan.kind !== 'forward') return;
      const id = nextId++;
      forwarded.set(id, index);
      outgoing.push({ jsonrpc: '2.0', id, method: calls[index].method, params: plan.params });
    });
    const answers: RpcAnswer[] = calls.map((call) => ({ jsonrpc: '2.0', id: call.id ?? null }));
    for (const answer of outgoing.length ? await node(outgoing) : []) {
      const index = forwarded.get(answer.id as number);
      if (index === undefined) continue;
      const plan = plans[index] as Extract<CallPlan, { kind: 'forward' }>;
      if (answer.error) answers[index].error = answer.error;
      else answers[index].result = plan.filter ? plan.filter(answer.result) : answer.result;
    }
    plans.forEach((plan, index) => {
      if (plan.kind === 'answer') answers[index].result = plan.result;
      if (plan.kind === 'error') answers[index].error = plan.error;
    });
    return answers;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    counters.requests++;
    if (burstLeft > 0 && faults.burst) {
      burstLeft--;
      counters.burstAnswered++;
      const status = faults.burst.status;
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 429 ? 'Too Many Requests' : 'Service Unavailable');
      return;
    }
    if (faults.dropShare && random() < faults.dropShare) {
      counters.dropped++;
      request.socket.destroy();
      return;
    }
    if (faults.timeoutShare && random() < faults.timeoutShare) {
      counters.timedOut++;
      held.add(response);
      response.once('close', () => held.delete(response));
      return;
    }
    if (faults.latencyMs) await sleep(faults.latencyMs);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      const error = { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(error));
      return;
    }
    const batch = Array.isArray(body);
    const calls = (batch ? body : [body]) as JsonRpcCall[];
    let answers: RpcAnswer[];
    try {
      answers = await serveCalls(calls);
    } catch (error) {
      // the node itself failed: a gateway error, as a provider in front of a dead node answers
      response.writeHead(502, { 'x-rpc-fault-proxy': (error as Error).message.slice(0, 200) });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(batch ? answers : answers[0]));
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500);
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });

  await listen(options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  function goDown(ms: number): void {
    counters.outages++;
    listening = listening.then(close);
    downTimer = setTimeout(comeBack, ms);
  }
  function comeBack(): void {
    clearTimeout(downTimer);
    downTimer = undefined;
    if (stopped) return;
    listening = listening
      .then(() => (server.listening ? undefined : listen(port)))
      .catch((error: unknown) => {
        // the port was taken while down: nothing to recover, say it where the test runs
        console.error(`rpc fault proxy cannot listen again on ${port}: ${String(error)}`);
      });
  }

  function setFaults(next: RpcFaults): void {
    faults = { ...next };
    burstLeft = next.burst?.count ?? 0;
    timeLag = undefined;
    if (downTimer) comeBack();
    if (next.downForMs && next.downForMs > 0) goDown(next.downForMs);
  }
  setFaults(options.faults ?? {});

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setFaults,
    reset: () => setFaults({}),
    stats: () => ({ ...counters, byMethod: { ...counters.byMethod } }),
    servedHead,
    async stop() {
      stopped = true;
      clearTimeout(downTimer);
      for (const response of held) response.destroy();
      await listening.catch(() => undefined);
      await close();
    },
  };
}
