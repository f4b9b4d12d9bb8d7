export interface MongoTestServer {
  url: string;
  port: number;
  /** Stops the server, waits `downMs`, starts it again on the same port and data. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function waitForPort(port: number, timeoutMs: number): Promise<void>;
export function startFerretDb(options?: { port?: number }): Promise<MongoTestServer>;
