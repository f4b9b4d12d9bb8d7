// Test infrastructure in plain ESM JavaScript: Jest loads global setup files without the
// TypeScript transform's module mapping.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'mongo-test-server.sh');

/** @returns {Promise<number>} a TCP port free on 127.0.0.1 right now */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => (s.destroy(), resolve(false)));
      s.connect(port, '127.0.0.1');
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/**
 * Starts FerretDB (built and cached by scripts/mongo-test-server.sh) on `port` (default: a free
 * one) with a throw-away data directory. Returns its URL, a stop function, and a restart that
 * stops the server and starts it again on the same port and data (outage tests).
 * @param {{ port?: number }} [options]
 */
export async function startFerretDb(options = {}) {
  const binary = execFileSync('bash', [SCRIPT, 'build'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'iexec-ferretdb-'));
  const port = options.port ?? (await freePort());
  const launch = () =>
    spawn(
      binary,
      [
        `--listen-addr=127.0.0.1:${port}`,
        // WAL without a disk sync per commit: see docs/mongo-compatibility.md.
        `--sqlite-url=file:${dir}/?_pragma=synchronous(normal)`,
        '--log-level=error',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  const halt = async (child) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  };
  let child = launch();
  await waitForPort(port, 15000);
  return {
    url: `mongodb://127.0.0.1:${port}/iexec?directConnection=true`,
    port,
    async restart(downMs = 0) {
      await halt(child);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      child = launch();
      await waitForPort(port, 15000);
    },
    async stop() {
      await halt(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
