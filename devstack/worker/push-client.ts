import { Client, IMessage, IStompSocket, StompSubscription } from '@stomp/stompjs';
import SockJS from 'sockjs-client';
import { TaskNotification, taskTopic } from '../../src/notification/task-notification.js';
import { finishDroppedStreams } from './sockjs-stream-end.js';

finishDroppedStreams();

// Push-channel client of the simulated worker (and of the tests), shaped like the Java worker's:
// SockJS restricted to XHR streaming (then XHR polling), STOMP 1.2 asking for 10 s heart-beats
// (the scheduler answers 0,0), one subscription per task topic, reconnect + resubscribe when the
// session drops. sockjs-client's Node build ships its own XHR driver over node:http, so no
// browser polyfill is needed.

export type NotificationHandler = (notification: TaskNotification, message: IMessage) => void;

export interface PushClientOptions {
  /** The SockJS endpoint, e.g. `http://127.0.0.1:13000/connect`. */
  url: string;
  /** Pause between reconnection attempts (default 5000 ms). */
  reconnectDelayMs?: number;
  /** SockJS transports in order of preference (default xhr-streaming, then xhr-polling). */
  transports?: string[];
  /**
   * Reconnect when nothing (SockJS `h` heartbeat or message) arrived for this long: catches
   * half-open connections, since STOMP heart-beats are off. 0 disables (default 20000 ms, i.e.
   * four missed 5 s heartbeats).
   */
  staleAfterMs?: number;
  /**
   * Least time sockjs-client waits for a transport to open before trying the next one (default
   * 5000 ms). Its own estimate (about 2 x (300 ms + info RTT)) is too short when thousands of
   * clients connect at once, and they would settle on polling.
   */
  transportTimeoutMs?: number;
  /** Time allowed to obtain CONNECTED after opening the socket (default 10000 ms). */
  connectionTimeoutMs?: number;
  onConnect?: () => void;
  onDisconnect?: () => void;
  /** STOMP ERROR frames and undecodable messages. */
  onError?: (message: string) => void;
}

interface TopicEntry {
  handler: NotificationHandler;
  subscription?: StompSubscription;
}

/** The worker's filter (worker-api.md §8.5): `[]` means everybody, otherwise exact wallet match. */
export function concernsWorker(notification: TaskNotification, wallet: string): boolean {
  const targets = notification.workersAddress;
  return Array.isArray(targets) && (targets.length === 0 || targets.includes(wallet));
}

export class PushClient {
  private readonly client: Client;
  private readonly topics = new Map<string, TopicEntry>();
  private readonly staleAfterMs: number;
  private readonly transports: string[];
  private lastActivity = Date.now();
  private watchdog?: ReturnType<typeof setInterval>;
  private waiters: Array<() => void> = [];
  private sessions = 0;

  constructor(private readonly options: PushClientOptions) {
    this.staleAfterMs = options.staleAfterMs ?? 20000;
    this.transports = options.transports ?? ['xhr-streaming', 'xhr-polling'];
    this.client = new Client({
      webSocketFactory: () => this.openSocket(),
      heartbeatIncoming: 10000,
      heartbeatOutgoing: 10000,
      reconnectDelay: options.reconnectDelayMs ?? 5000,
      connectionTimeout: options.connectionTimeoutMs ?? 10000,
      debug: () => undefined,
      onConnect: () => this.connected(),
      onWebSocketClose: () => this.options.onDisconnect?.(),
      onStompError: (frame) => this.options.onError?.(frame.headers.message ?? 'STOMP ERROR'),
    });
  }

  /** Starts connecting (and reconnecting for as long as the client is not closed). */
  connect(): void {
    if (this.client.active) return;
    this.client.activate();
    if (this.staleAfterMs > 0 && !this.watchdog) {
      this.watchdog = setInterval(() => this.checkLiveness(), Math.ceil(this.staleAfterMs / 2));
      this.watchdog.unref();
    }
  }

  /** True while a STOMP session is established (the worker posts no report otherwise). */
  isConnected(): boolean {
    return this.client.connected;
  }

  /** The SockJS transport in use (`xhr-streaming`, `xhr-polling`), if a socket is open. */
  get transport(): string | undefined {
    return (
      (this.client.webSocket as unknown as { transport?: string | null } | undefined)?.transport ??
      undefined
    );
  }

  /** Number of STOMP sessions established so far (reconnections included). */
  get sessionCount(): number {
    return this.sessions;
  }

  async waitUntilConnected(timeoutMs = 30000): Promise<void> {
    if (this.isConnected()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        reject(new Error(`push channel not connected after ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  /**
   * Subscribes to `/topic/task/{chainTaskId}` now if connected, else at the next session.
   * Subscribing again to the same task only replaces the handler.
   */
  subscribe(chainTaskId: string, handler: NotificationHandler): void {
    const existing = this.topics.get(chainTaskId);
    if (existing) {
      existing.handler = handler;
      return;
    }
    const entry: TopicEntry = { handler };
    this.topics.set(chainTaskId, entry);
    if (this.isConnected()) this.attach(chainTaskId, entry);
  }

  unsubscribe(chainTaskId: string): void {
    const entry = this.topics.get(chainTaskId);
    if (!entry) return;
    this.topics.delete(chainTaskId);
    if (entry.subscription && this.isConnected()) entry.subscription.unsubscribe();
  }

  subscribedTasks(): string[] {
    return [...this.topics.keys()];
  }

  /** Sends DISCONNECT (waiting for its RECEIPT when connected) and stops reconnecting. */
  async close(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    await this.client.deactivate();
  }

  private openSocket(): IStompSocket {
    const socket = new SockJS(this.options.url, null, {
      transports: this.transports,
      timeout: this.options.transportTimeoutMs ?? 5000,
    });
    const touch = () => (this.lastActivity = Date.now());
    socket.addEventListener('heartbeat', touch);
    socket.addEventListener('message', touch);
    touch();
    return socket as unknown as IStompSocket;
  }

  private connected(): void {
    this.sessions++;
    this.lastActivity = Date.now();
    for (const [chainTaskId, entry] of this.topics) this.attach(chainTaskId, entry);
    this.options.onConnect?.();
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private attach(chainTaskId: string, entry: TopicEntry): void {
    entry.subscription = this.client.subscribe(taskTopic(chainTaskId), (message) => {
      let notification: TaskNotification;
      try {
        notification = JSON.parse(message.body) as TaskNotification;
      } catch {
        this.options.onError?.(`undecodable notification on ${taskTopic(chainTaskId)}`);
        return;
      }
      entry.handler(notification, message);
    });
  }

  private checkLiveness(): void {
    if (this.isConnected() && Date.now() - this.lastActivity > this.staleAfterMs) {
      this.lastActivity = Date.now();
      this.client.forceDisconnect();
    }
  }
}
