// The push channel as the simulated worker uses it: the SockJS/STOMP PushClient by default, or
// any object with the same surface (tests drive an in-memory one).
import { PushClient, type PushClientOptions } from './push-client.js';
import type { WorkerStatsSink } from './stats.js';

export interface PushChannel {
  /** Starts connecting; reconnects and resubscribes by itself until closed. */
  connect(): void;
  isConnected(): boolean;
  waitUntilConnected(timeoutMs?: number): Promise<void>;
  /** `handler` receives the parsed JSON of each message on `/topic/task/{chainTaskId}`. */
  subscribe(chainTaskId: string, handler: (notification: unknown) => void): void;
  unsubscribe(chainTaskId: string): void;
  close(): Promise<void>;
}

export interface PushOwner {
  readonly name: string;
  readonly stats: WorkerStatsSink;
}

export type PushFactory = (url: string, owner: PushOwner) => PushChannel;

/** SockJS (XHR streaming, then polling) + STOMP 1.2, as the Java worker connects (§8). */
export function createWorkerPush(options: Partial<PushClientOptions> = {}): PushFactory {
  return (url, owner) =>
    new PushClient({
      reconnectDelayMs: 1000,
      ...options,
      url,
      onError: (message) => {
        owner.stats.recordError('push-error');
        options.onError?.(message);
      },
    });
}
