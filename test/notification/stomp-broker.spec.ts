import {
  CLOSE_NORMAL,
  CLOSE_PROTOCOL_ERROR,
  StompBroker,
  StompSession,
  StompTransport,
} from '../../src/notification/stomp/stomp-broker.js';
import { decodeFrames, StompFrame } from '../../src/notification/stomp/stomp-codec.js';

/** A transport recording what the broker writes and whether it closed. */
class FakeTransport implements StompTransport {
  readonly sent: string[] = [];
  closedWith?: [number, string];
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
  }
  frames(): StompFrame[] {
    return this.sent.flatMap((text) => decodeFrames(Buffer.from(text)).frames);
  }
  take(): StompFrame[] {
    const frames = this.frames();
    this.sent.length = 0;
    return frames;
  }
}

function client(broker: StompBroker): { transport: FakeTransport; session: StompSession } {
  const transport = new FakeTransport();
  const session = broker.open(transport);
  session.receive('CONNECT\naccept-version:1.1,1.2\nheart-beat:10000,10000\n\n\0');
  transport.take();
  return { transport, session };
}

const subscribe = (session: StompSession, id: string, destination: string) =>
  session.receive(`SUBSCRIBE\nid:${id}\ndestination:${destination}\n\n\0`);

describe('StompBroker', () => {
  let broker: StompBroker;
  beforeEach(() => (broker = new StompBroker()));

  it('answers CONNECT and STOMP with CONNECTED version 1.2 and heart-beat 0,0', () => {
    for (const command of ['CONNECT', 'STOMP']) {
      const transport = new FakeTransport();
      broker
        .open(transport)
        .receive(`${command}\naccept-version:1.1,1.2\nheart-beat:10000,10000\n\n\0`);
      expect(transport.sent).toEqual(['CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0']);
    }
  });

  it('negotiates 1.1 and omits the version for a 1.0 client; refuses unknown versions', () => {
    const v11 = new FakeTransport();
    broker.open(v11).receive('CONNECT\naccept-version:1.1\n\n\0');
    expect(v11.sent).toEqual(['CONNECTED\nversion:1.1\nheart-beat:0,0\n\n\0']);
    const v10 = new FakeTransport();
    broker.open(v10).receive('CONNECT\n\n\0');
    expect(v10.sent).toEqual(['CONNECTED\nheart-beat:0,0\n\n\0']);
    const v3 = new FakeTransport();
    broker.open(v3).receive('CONNECT\naccept-version:3.0\n\n\0');
    expect(v3.frames()[0].command).toBe('ERROR');
    expect(v3.closedWith?.[0]).toBe(CLOSE_PROTOCOL_ERROR);
  });

  it('delivers MESSAGE frames only to subscriptions of the destination, with the headers of §8.3', () => {
    const a = client(broker);
    const b = client(broker);
    const c = client(broker);
    subscribe(a.session, 'sub-0', '/topic/task/0x01');
    subscribe(b.session, '7', '/topic/task/0x01');
    subscribe(c.session, 'sub-0', '/topic/task/0x02');
    expect(broker.publish('/topic/task/0x01', '{"x":"é"}')).toBe(2);
    const [frameA] = a.transport.take();
    const [frameB] = b.transport.take();
    expect(c.transport.sent).toEqual([]);
    expect(Object.keys(frameA.headers)).toEqual([
      'destination',
      'content-type',
      'subscription',
      'message-id',
      'content-length',
    ]);
    expect(frameA).toMatchObject({
      command: 'MESSAGE',
      headers: {
        destination: '/topic/task/0x01',
        'content-type': 'application/json',
        subscription: 'sub-0',
        'content-length': '10',
      },
      body: '{"x":"é"}',
    });
    expect(frameB.headers.subscription).toBe('7');
    expect(frameB.headers['message-id']).not.toBe(frameA.headers['message-id']);
  });

  it('stops delivering after UNSUBSCRIBE and after the session closed', () => {
    const a = client(broker);
    const b = client(broker);
    subscribe(a.session, 's', '/topic/t');
    subscribe(b.session, 's', '/topic/t');
    a.session.receive('UNSUBSCRIBE\nid:s\n\n\0');
    b.session.closed();
    expect(broker.publish('/topic/t', '{}')).toBe(0);
    expect(a.transport.sent).toEqual([]);
    expect(b.transport.sent).toEqual([]);
    expect(broker.stats()).toEqual({
      sessions: 1,
      connectedSessions: 1,
      subscriptions: 0,
      destinations: 0,
    });
  });

  it('delivers to sessions subscribed at publication time only (no replay)', () => {
    const a = client(broker);
    broker.publish('/topic/t', '{"n":1}');
    subscribe(a.session, 's', '/topic/t');
    broker.publish('/topic/t', '{"n":2}');
    expect(a.transport.take().map((f) => f.body)).toEqual(['{"n":2}']);
  });

  it('onSubscribe: after the RECEIPT, delivers to the new subscription alone, never once it is gone', () => {
    const delivers: Array<(body: string) => void> = [];
    broker.onSubscribe((destination, deliver) => {
      if (destination === '/topic/task/0x01') delivers.push(deliver);
    });
    const old = client(broker);
    subscribe(old.session, 's', '/topic/task/0x01');
    const fresh = client(broker);
    fresh.session.receive('SUBSCRIBE\nid:s\ndestination:/topic/task/0x01\nreceipt:r1\n\n\0');
    expect(delivers).toHaveLength(2);
    delivers[1]('{"missed":true}');
    const frames = fresh.transport.take();
    expect(frames.map((f) => f.command)).toEqual(['RECEIPT', 'MESSAGE']);
    expect(frames[1].headers).toMatchObject({ destination: '/topic/task/0x01', subscription: 's' });
    expect(frames[1].body.toString()).toBe('{"missed":true}');
    expect(old.transport.take()).toEqual([]);
    // Unsubscribed, or the session closed: nothing is written.
    fresh.session.receive('UNSUBSCRIBE\nid:s\n\n\0');
    delivers[1]('late');
    old.session.closed();
    delivers[0]('late');
    expect(fresh.transport.sent).toEqual([]);
    expect(old.transport.sent).toEqual([]);
  });

  it('sends one frame per subscription and replaces a reused subscription id', () => {
    const a = client(broker);
    subscribe(a.session, 'one', '/topic/t');
    subscribe(a.session, 'two', '/topic/t');
    subscribe(a.session, 'x', '/topic/old');
    subscribe(a.session, 'x', '/topic/new');
    expect(broker.publish('/topic/t', '{}')).toBe(2);
    expect(broker.publish('/topic/old', '{}')).toBe(0);
    expect(broker.publish('/topic/new', '{}')).toBe(1);
    expect(a.transport.take().map((f) => f.headers.subscription)).toEqual(['one', 'two', 'x']);
    expect(broker.stats().subscriptions).toBe(3);
  });

  it('routes regardless of the payload: targeting by workersAddress is up to the workers', () => {
    const a = client(broker);
    subscribe(a.session, 's', '/topic/task/0x01');
    const targeted = '{"chainTaskId":"0x01","workersAddress":["0xother"]}';
    expect(broker.publish('/topic/task/0x01', targeted)).toBe(1);
    expect(a.transport.take()[0].body).toBe(targeted);
  });

  it('escapes the subscription id and lets callers set content-type and extra headers', () => {
    const a = client(broker);
    subscribe(a.session, 'a\\cb', '/topic/t');
    broker.publish('/topic/t', 'hi', {
      'content-type': 'text/plain',
      'x-extra': '1',
      subscription: 'no',
    });
    const [frame] = a.transport.take();
    expect(frame.headers).toMatchObject({
      subscription: 'a:b',
      'content-type': 'text/plain',
      'x-extra': '1',
    });
    expect(a.transport.sent).toEqual([]);
  });

  it('answers receipts and closes the session on DISCONNECT', () => {
    const a = client(broker);
    subscribe(a.session, 's', '/topic/t');
    a.session.receive('SUBSCRIBE\nid:r\ndestination:/topic/u\nreceipt:r-1\n\n\0');
    a.session.receive('DISCONNECT\nreceipt:77\n\n\0');
    expect(a.transport.sent).toEqual([
      'RECEIPT\nreceipt-id:r-1\n\n\0',
      'RECEIPT\nreceipt-id:77\n\n\0',
    ]);
    expect(a.transport.closedWith).toEqual([CLOSE_NORMAL, 'Normal closure']);
    expect(broker.publish('/topic/t', '{}')).toBe(0);
    expect(broker.stats().sessions).toBe(0);
  });

  it.each([
    [
      'a frame before CONNECT',
      ['SUBSCRIBE\nid:0\ndestination:/topic/t\n\n\0'],
      'Expected CONNECT, got SUBSCRIBE',
    ],
    ['a malformed frame', ['CONNECT\n\n\0', 'SUBSCRIBE\nno-colon\n\n\0'], 'Malformed header line'],
    [
      'SUBSCRIBE without id',
      ['CONNECT\n\n\0', 'SUBSCRIBE\ndestination:/t\n\n\0'],
      'SUBSCRIBE needs destination and id headers',
    ],
    [
      'SEND (clients may not publish)',
      ['CONNECT\n\n\0', 'SEND\ndestination:/topic/t\n\n{}\0'],
      'Unsupported command SEND',
    ],
    ['a second CONNECT', ['CONNECT\n\n\0', 'CONNECT\n\n\0'], 'Already connected'],
    [
      'an oversized frame',
      ['CONNECT\n\n\0', `SEND\n\n${'x'.repeat(70 * 1024)}`],
      'Frame too large',
    ],
  ])('sends ERROR then closes on %s', (_label, messages, message) => {
    const transport = new FakeTransport();
    const session = broker.open(transport);
    for (const text of messages) session.receive(text);
    const error = transport.frames().at(-1);
    expect(error?.command).toBe('ERROR');
    expect(error?.headers.message).toBe(message);
    expect(transport.closedWith?.[0]).toBe(CLOSE_PROTOCOL_ERROR);
    expect(broker.stats().sessions).toBe(0);
    const sentBefore = transport.sent.length;
    session.receive('SUBSCRIBE\nid:0\ndestination:/topic/t\n\n\0');
    expect(transport.sent.length).toBe(sentBefore);
  });

  it('puts the receipt-id of the faulty frame on the ERROR frame', () => {
    const a = client(broker);
    a.session.receive('UNSUBSCRIBE\nreceipt:9\n\n\0');
    expect(a.transport.frames()[0].headers).toMatchObject({ 'receipt-id': '9' });
  });

  it('reassembles frames split across messages and ignores heart-beat EOLs', () => {
    const a = client(broker);
    a.session.receive('\n');
    a.session.receive('SUBSCRIBE\nid:0\ndesti');
    a.session.receive('nation:/topic/t\n\n');
    a.session.receive('\0\nSUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0');
    expect(a.session.pending).toBeNull();
    expect(broker.publish('/topic/t', '{}')).toBe(2);
  });

  it('closes every session on closeAll', () => {
    const a = client(broker);
    const b = client(broker);
    subscribe(a.session, 's', '/topic/t');
    broker.closeAll();
    expect(a.transport.closedWith?.[0]).toBe(1001);
    expect(b.transport.closedWith?.[0]).toBe(1001);
    expect(broker.stats()).toEqual({
      sessions: 0,
      connectedSessions: 0,
      subscriptions: 0,
      destinations: 0,
    });
  });

  it('closes a session whose message is not text before decoding anything (no 1 GB Buffer)', () => {
    for (const message of [{ length: 1_000_000_000 }, 1_000_000_000, ['x'], null]) {
      const a = client(broker);
      const before = process.memoryUsage().arrayBuffers;
      a.session.receive(message);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024);
      expect(a.transport.frames()[0]).toMatchObject({
        command: 'ERROR',
        headers: { message: 'Messages must be text' },
      });
      expect(a.transport.closedWith?.[0]).toBe(CLOSE_PROTOCOL_ERROR);
      expect(a.session.ended).toBe(true);
    }
    expect(broker.stats().sessions).toBe(0);
  });

  it('bounds the subscriptions of one session; re-subscribing an existing id stays allowed', () => {
    broker = new StompBroker({ maxSubscriptionsPerSession: 2 });
    const a = client(broker);
    subscribe(a.session, '0', '/topic/t0');
    subscribe(a.session, '1', '/topic/t1');
    subscribe(a.session, '1', '/topic/t1b');
    expect(a.transport.take()).toEqual([]);
    subscribe(a.session, '2', '/topic/t2');
    expect(a.transport.frames()[0].headers.message).toBe('Too many subscriptions');
    expect(a.transport.closedWith?.[0]).toBe(CLOSE_PROTOCOL_ERROR);
    expect(broker.stats().subscriptions).toBe(0);
  });
});
