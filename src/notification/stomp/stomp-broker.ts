import { randomBytes } from 'node:crypto';
import {
  DEFAULT_MAX_FRAME_BYTES,
  decodeFrames,
  encodeFrame,
  escapeHeader,
  StompFrame,
} from './stomp-codec.js';

// In-memory STOMP topic broker (worker-api.md §8.3): fire-and-forget, no persistence, no replay,
// no authentication; a message goes to the subscriptions that exist when it is published.

/** The byte stream under one STOMP session (one SockJS session in production). */
export interface StompTransport {
  /** Queues one encoded STOMP frame to the client. */
  send(frame: string): void;
  /** Closes the underlying connection; the owner then calls `StompSession.closed()`. */
  close(code: number, reason: string): void;
}

export interface BrokerStats {
  sessions: number;
  connectedSessions: number;
  subscriptions: number;
  destinations: number;
}

export interface StompBrokerOptions {
  maxFrameBytes?: number;
  /** Subscriptions one session may hold; a worker holds one per task it works on. */
  maxSubscriptionsPerSession?: number;
  /** Debug-level diagnostics (protocol errors, sessions). */
  log?: (message: string) => void;
}

/** Sends one MESSAGE to a single subscription only (see `StompBroker.onSubscribe`). */
export type DeliverToSubscriber = (body: string) => void;
export type SubscribeListener = (destination: string, deliver: DeliverToSubscriber) => void;

/** SockJS close codes used when the server ends a session. */
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_PROTOCOL_ERROR = 1002;

interface Subscription {
  readonly session: StompSession;
  readonly id: string;
  /** The id as written in MESSAGE frames (escaped once). */
  readonly headerId: string;
  readonly destination: string;
}

/** Headers of MESSAGE frames that the broker owns and callers cannot override. */
const RESERVED_MESSAGE_HEADERS = new Set([
  'destination',
  'content-type',
  'subscription',
  'message-id',
  'content-length',
]);

export class StompSession {
  connected = false;
  ended = false;
  /** Incomplete frame bytes awaiting the next message (null nearly always). */
  pending: Buffer | null = null;
  /** Created on first SUBSCRIBE: idle sessions stay small. */
  subscriptions: Map<string, Subscription> | null = null;

  constructor(
    private readonly broker: StompBroker,
    readonly transport: StompTransport,
  ) {}

  /** Feeds one message received from the client (any slice of the frame stream). */
  receive(message: unknown): void {
    this.broker.receive(this, message);
  }

  /** Tells the broker the transport is gone; drops the subscriptions. */
  closed(): void {
    this.broker.drop(this);
  }
}

export class StompBroker {
  private readonly sessions = new Set<StompSession>();
  private readonly routes = new Map<string, Set<Subscription>>();
  private readonly maxFrameBytes: number;
  private readonly maxSubscriptionsPerSession: number;
  private readonly log: (message: string) => void;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  private messageSeq = 0;
  private subscriptionCount = 0;
  private readonly subscribeListeners: SubscribeListener[] = [];

  constructor(options: StompBrokerOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxSubscriptionsPerSession = options.maxSubscriptionsPerSession ?? 1000;
    this.log = options.log ?? (() => undefined);
  }

  open(transport: StompTransport): StompSession {
    const session = new StompSession(this, transport);
    this.sessions.add(session);
    return session;
  }

  /**
   * Called after each SUBSCRIBE (its RECEIPT sent): a subscriber that (re)subscribes after a lost
   * session can be sent, to it alone, what it missed. `deliver` is a no-op once it unsubscribed.
   */
  onSubscribe(listener: SubscribeListener): void {
    this.subscribeListeners.push(listener);
  }

  /**
   * Sends a MESSAGE frame to every subscription of `destination` existing now. Returns the
   * number of frames queued. `headers` may set `content-type` (default application/json) and add
   * headers; the broker-owned ones (subscription, message-id, …) cannot be overridden.
   */
  publish(
    destination: string,
    body: string,
    headers: Readonly<Record<string, string>> = {},
  ): number {
    const subscriptions = this.routes.get(destination);
    if (!subscriptions || subscriptions.size === 0) return 0;
    return this.send([...subscriptions], destination, body, headers);
  }

  private send(
    subscriptions: readonly Subscription[],
    destination: string,
    body: string,
    headers: Readonly<Record<string, string>> = {},
  ): number {
    const contentType = escapeHeader(headers['content-type'] ?? 'application/json');
    const head = `MESSAGE\ndestination:${escapeHeader(destination)}\ncontent-type:${contentType}\n`;
    let extra = '';
    for (const [name, value] of Object.entries(headers)) {
      if (!RESERVED_MESSAGE_HEADERS.has(name))
        extra += `${escapeHeader(name)}:${escapeHeader(value)}\n`;
    }
    const tail = `${extra}content-length:${Buffer.byteLength(body)}\n\n${body}\0`;
    let sent = 0;
    for (const subscription of subscriptions) {
      const id = `${this.idPrefix}${++this.messageSeq}`;
      subscription.session.transport.send(
        `${head}subscription:${subscription.headerId}\nmessage-id:${id}\n${tail}`,
      );
      sent++;
    }
    return sent;
  }

  /** Closes every session (shutdown). */
  closeAll(code = CLOSE_GOING_AWAY, reason = 'Server shutting down'): void {
    for (const session of [...this.sessions]) {
      this.drop(session);
      session.transport.close(code, reason);
    }
  }

  stats(): BrokerStats {
    let connectedSessions = 0;
    for (const session of this.sessions) if (session.connected) connectedSessions++;
    return {
      sessions: this.sessions.size,
      connectedSessions,
      subscriptions: this.subscriptionCount,
      destinations: this.routes.size,
    };
  }

  /** @internal use StompSession.receive */
  receive(session: StompSession, message: unknown): void {
    if (session.ended) return;
    // Only text is STOMP: `Buffer.from({ length: 1e9 })` would allocate a gigabyte.
    if (typeof message !== 'string') return this.fail(session, 'Messages must be text');
    const chunk = Buffer.from(message, 'utf8');
    const input = session.pending ? Buffer.concat([session.pending, chunk]) : chunk;
    const result = decodeFrames(input, this.maxFrameBytes);
    session.pending = result.rest.length > 0 ? Buffer.from(result.rest) : null;
    for (const frame of result.frames) {
      this.handle(session, frame);
      if (session.ended) return;
    }
    if (result.error) this.fail(session, result.error);
  }

  /** @internal use StompSession.closed */
  drop(session: StompSession): void {
    if (!this.sessions.delete(session)) return;
    session.ended = true;
    session.connected = false;
    session.pending = null;
    for (const subscription of session.subscriptions?.values() ?? []) this.unroute(subscription);
    session.subscriptions = null;
  }

  private handle(session: StompSession, frame: StompFrame): void {
    const { command, headers } = frame;
    if (command === 'CONNECT' || command === 'STOMP') return this.connect(session, frame);
    if (!session.connected) return this.fail(session, `Expected CONNECT, got ${command}`);
    switch (command) {
      case 'SUBSCRIBE':
        if (!headers.destination || headers.id === undefined) {
          return this.fail(session, 'SUBSCRIBE needs destination and id headers', frame);
        }
        if (
          (session.subscriptions?.size ?? 0) >= this.maxSubscriptionsPerSession &&
          !session.subscriptions?.has(headers.id)
        ) {
          return this.fail(session, 'Too many subscriptions', frame);
        }
        this.subscribe(session, headers.id, headers.destination);
        this.receipt(session, frame);
        return this.subscribed(session, headers.id, headers.destination);
      case 'UNSUBSCRIBE':
        if (headers.id === undefined)
          return this.fail(session, 'UNSUBSCRIBE needs an id header', frame);
        this.unsubscribe(session, headers.id);
        return this.receipt(session, frame);
      case 'ACK':
      case 'NACK':
        // Subscriptions are always ack:auto; nothing to acknowledge.
        return this.receipt(session, frame);
      case 'DISCONNECT':
        this.receipt(session, frame);
        this.drop(session);
        session.transport.close(CLOSE_NORMAL, 'Normal closure');
        return;
      default:
        // SEND included: clients may not publish to task topics.
        return this.fail(session, `Unsupported command ${command}`, frame);
    }
  }

  private connect(session: StompSession, frame: StompFrame): void {
    if (session.connected) return this.fail(session, 'Already connected', frame);
    const accepted = (frame.headers['accept-version'] ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    let version: string | undefined;
    if (accepted.includes('1.2')) version = '1.2';
    else if (accepted.includes('1.1')) version = '1.1';
    else if (accepted.length > 0) {
      return this.fail(session, `Unsupported STOMP version ${accepted.join(',')}`, frame);
    }
    const heartBeat = frame.headers['heart-beat'];
    if (heartBeat !== undefined && !/^\s*\d+\s*,\s*\d+\s*$/.test(heartBeat)) {
      return this.fail(session, 'Invalid heart-beat header', frame);
    }
    session.connected = true;
    // No STOMP heart-beats: SockJS already sends its own every 5 s (§8.3).
    const headers: [string, string][] = version ? [['version', version]] : [];
    headers.push(['heart-beat', '0,0']);
    session.transport.send(encodeFrame('CONNECTED', headers));
  }

  private subscribe(session: StompSession, id: string, destination: string): void {
    session.subscriptions ??= new Map();
    const previous = session.subscriptions.get(id);
    if (previous) this.unroute(previous);
    const subscription: Subscription = { session, id, headerId: escapeHeader(id), destination };
    session.subscriptions.set(id, subscription);
    let route = this.routes.get(destination);
    if (!route) this.routes.set(destination, (route = new Set()));
    route.add(subscription);
    this.subscriptionCount++;
  }

  private subscribed(session: StompSession, id: string, destination: string): void {
    if (this.subscribeListeners.length === 0) return;
    const subscription = session.subscriptions?.get(id);
    if (!subscription) return;
    const deliver: DeliverToSubscriber = (body) => {
      // Still this very subscription of a live session (not replaced, unsubscribed or closed).
      if (session.ended || session.subscriptions?.get(id) !== subscription) return;
      this.send([subscription], destination, body);
    };
    for (const listener of this.subscribeListeners) listener(destination, deliver);
  }

  private unsubscribe(session: StompSession, id: string): void {
    const subscription = session.subscriptions?.get(id);
    if (!subscription) return;
    session.subscriptions?.delete(id);
    this.unroute(subscription);
  }

  private unroute(subscription: Subscription): void {
    const route = this.routes.get(subscription.destination);
    if (!route?.delete(subscription)) return;
    this.subscriptionCount--;
    if (route.size === 0) this.routes.delete(subscription.destination);
  }

  private receipt(session: StompSession, frame: StompFrame): void {
    const receipt = frame.headers.receipt;
    if (receipt !== undefined)
      session.transport.send(encodeFrame('RECEIPT', [['receipt-id', receipt]]));
  }

  /** STOMP: an ERROR frame, then the connection is closed. */
  private fail(session: StompSession, message: string, frame?: StompFrame): void {
    this.log(`STOMP protocol error, closing session: ${message}`);
    const headers: [string, string][] = [['message', message]];
    const receipt = frame?.headers.receipt;
    if (receipt !== undefined) headers.push(['receipt-id', receipt]);
    headers.push(['content-type', 'text/plain']);
    session.transport.send(encodeFrame('ERROR', headers, message));
    this.drop(session);
    session.transport.close(CLOSE_PROTOCOL_ERROR, 'STOMP protocol error');
  }
}
