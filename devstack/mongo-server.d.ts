export interface MongoTestServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function waitForPort(port: number, timeoutMs: number): Promise<void>;
export function startFerretDb(options?: { port?: number }): Promise<MongoTestServer>;
