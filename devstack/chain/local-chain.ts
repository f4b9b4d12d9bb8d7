// Starts the dev chain (serve.ts: Hardhat node + PoCo) in a child process. A child rather than
// in-process: Hardhat's node task cannot be stopped, mutes console.log, and must not share a
// Jest worker's module registry.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parsePocoDeployment, type PocoAsset, type PocoDeployment } from '../poco/deployment.js';
import { freePort } from './rpc.js';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
// serve.ts behind a launcher that loads viem and Hardhat without tsx's per-module hooks
const SERVE_LAUNCHER = join(import.meta.dirname, 'launch.mjs');
const READY_PREFIX = 'READY ';
const PORT_TAKEN = /is not free/;

export interface LocalChainOptions {
  /** Default: a free port picked on 127.0.0.1. */
  port?: number;
  chainId?: number;
  asset?: PocoAsset;
  /** Funded worker accounts (default 50, see accounts.ts). */
  workerCount?: number;
  /** Also write the deployment JSON to this file. */
  outFile?: string;
  /** Default 30 s: a cold tsx cache and a busy machine can make the first start slow. */
  readyTimeoutMs?: number;
  /** Forward the child's stderr (deployment summary, errors) to this process' stderr. */
  inheritStderr?: boolean;
}

export interface LocalChain {
  rpcUrl: string;
  chainId: number;
  deployment: PocoDeployment;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

export class LocalChainStartError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(stderr.trim() ? `${message}\n--- chain stderr ---\n${stderr.trim()}` : message);
    this.name = 'LocalChainStartError';
  }
}

export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  // a free port can be taken between the probe and the child's bind: retry with another one
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnChain({ ...options, port: options.port ?? (await freePort()) });
    } catch (error) {
      const retry = options.port === undefined && attempt < 3;
      if (!(retry && error instanceof LocalChainStartError && PORT_TAKEN.test(error.stderr)))
        throw error;
    }
  }
}

function serveArguments(options: LocalChainOptions & { port: number }): string[] {
  const args = [
    '--port',
    String(options.port),
    '--asset',
    options.asset ?? 'token',
    '--exit-on-stdin-close',
  ];
  if (options.chainId !== undefined) args.push('--chain-id', String(options.chainId));
  if (options.workerCount !== undefined) args.push('--workers', String(options.workerCount));
  if (options.outFile) args.push('--out', options.outFile);
  return args;
}

function spawnChain(options: LocalChainOptions & { port: number }): Promise<LocalChain> {
  const child = spawn(process.execPath, [SERVE_LAUNCHER, ...serveArguments(options)], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
    if (options.inheritStderr) process.stderr.write(chunk);
  });
  return new Promise<LocalChain>((resolve, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      reject(new LocalChainStartError(message, stderr));
    };
    const timeoutMs = options.readyTimeoutMs ?? 30_000;
    const timer = setTimeout(() => fail(`dev chain not ready after ${timeoutMs} ms`), timeoutMs);
    child.once('error', (error) => fail(`cannot start the dev chain: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`dev chain exited (${signal ?? `code ${code}`}) before READY`),
    );
    let pending = '';
    const onData = (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const line = lines.find((candidate) => candidate.startsWith(READY_PREFIX));
      if (line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.stdout?.off('data', onData).resume(); // keep draining, or a chatty child would block
      let deployment: PocoDeployment;
      try {
        deployment = parsePocoDeployment(line.slice(READY_PREFIX.length));
      } catch (error) {
        fail(`unreadable READY line: ${(error as Error).message}`);
        return;
      }
      detach(child);
      resolve({
        rpcUrl: deployment.rpcUrl,
        chainId: deployment.chainId,
        deployment,
        pid: child.pid as number,
        stop: () => stopChild(child),
      });
    };
    child.stdout?.setEncoding('utf8').on('data', onData);
  });
}

/** The running chain must not keep the parent's event loop alive (Jest would wait for it). */
function detach(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
