import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN_JS = join(ROOT, 'dist', 'main.js');

export interface SchedulerProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Starts the built scheduler (`node dist/main.js`) with exactly the given environment (undefined
 * entries left out).
 */
export function spawnScheduler(env: Record<string, string | undefined>): SchedulerProcess {
  if (!existsSync(MAIN_JS)) throw new Error('dist/main.js is missing: run `npm run build` first');
  let out = '';
  const child = spawn(process.execPath, [MAIN_JS], {
    env: {
      PATH: process.env.PATH ?? '',
      ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
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
