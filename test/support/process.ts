import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceStandIns } from '../../devstack/services/index.js';
import type { DevWallet } from '../../devstack/wallet.js';
import type { TestChain } from './chain.js';
import { FAST_SCHEDULER_ENV } from './scheduler.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'dist', 'main.js');

export interface SchedulerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts the built scheduler (`node dist/main.js`) with exactly the given environment (undefined
 * entries left out). With `IEXEC_TEST_SCHEDULER_LOG=<prefix>` set, each process' output also
 * goes to `<prefix>-<pid>.log` and `IEXEC_TEST_SCHEDULER_LOG_LEVEL` (default INFO) replaces its
 * log level: to read what a spawned scheduler did in a run that went wrong.
 */
export function spawnScheduler(
  env: Record<string, string | undefined>,
  mainJs: string = MAIN_JS,
): SchedulerProcess {
  if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run \`npm run build\` first`);
  let out = '';
  const logPrefix = process.env.IEXEC_TEST_SCHEDULER_LOG;
  const child = spawn(process.execPath, [mainJs], {
    env: {
      PATH: process.env.PATH ?? '',
      ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
      ...(logPrefix
        ? { IEXEC_LOG_LEVEL: process.env.IEXEC_TEST_SCHEDULER_LOG_LEVEL ?? 'INFO' }
        : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logFile = logPrefix ? createWriteStream(`${logPrefix}-${child.pid}.log`) : undefined;
  const record = (b: Buffer) => {
    out += b.toString();
    logFile?.write(b);
  };
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  child.once('exit', () => logFile?.end());
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => out, exited };
}

/** Polls a URL until it answers `status` (or the timeout elapses); returns the elapsed ms. */
export async function waitForStatus(
  url: string,
  status: number,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const res = await fetch(url);
      if (res.status === status) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
}

/** The environment of a built scheduler on the test chain with the embedded writer. */
export function builtSchedulerEnv(
  chain: TestChain,
  pool: string,
  wallet: DevWallet,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...(FAST_SCHEDULER_ENV as Record<string, string>),
    IEXEC_PRIVATE_CHAIN_ADDRESS: chain.rpcUrl,
    IEXEC_CHAIN_ID: String(chain.chainId),
    IEXEC_HUB_ADDRESS: chain.deployment.hub,
    IEXEC_CHAIN_WRITER: 'embedded',
    SMS_SCONE: 'http://127.0.0.1:9',
    SMS_GRAMINE: 'http://127.0.0.1:9',
    POOL_ADDRESS: pool,
    IEXEC_CORE_WALLET_PATH: wallet.path,
    IEXEC_CORE_WALLET_PASSWORD: wallet.password,
    IEXEC_LOG_LEVEL: 'WARN',
    ...overrides,
  };
}

/** The scheduler variables that point a spawned scheduler at the service stand-ins it uploads and signs with. */
export function standInSchedulerEnv(services: ServiceStandIns): Record<string, string> {
  return {
    IEXEC_RESULT_REPOSITORY_URL: services.resultProxy.url,
    SMS_SCONE: services.smsScone.url,
    SMS_GRAMINE: services.smsGramine.url,
  };
}

/** Resident set size of a running process, in bytes (Linux /proc). */
export function residentBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (!kib) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kib) * 1024;
}
