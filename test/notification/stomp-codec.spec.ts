import {
  decodeFrames,
  encodeFrame,
  escapeHeader,
  unescapeHeader,
} from '../../src/notification/stomp/stomp-codec.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('STOMP frame decoding', () => {
  it('decodes a CONNECT frame as the Java worker sends it', () => {
    const result = decodeFrames(
      bytes('CONNECT\naccept-version:1.1,1.2\nheart-beat:10000,10000\n\n\0'),
    );
    expect(result.error).toBeUndefined();
    expect(result.rest.length).toBe(0);
    expect(result.frames).toEqual([
      {
        command: 'CONNECT',
        headers: { 'accept-version': '1.1,1.2', 'heart-beat': '10000,10000' },
        body: '',
      },
    ]);
  });

  it('decodes concatenated frames separated by optional EOLs, counting heart-beats', () => {
    const input = bytes(
      '\n\r\nSUBSCRIBE\nid:0\ndestination:/topic/a\n\n\0\n\nUNSUBSCRIBE\r\nid:0\r\n\r\n\0\n',
    );
    const result = decodeFrames(input);
    expect(result.frames.map((f) => [f.command, f.headers])).toEqual([
      ['SUBSCRIBE', { id: '0', destination: '/topic/a' }],
      ['UNSUBSCRIBE', { id: '0' }],
    ]);
    expect(result.heartbeats).toBe(5);
    expect(result.rest.length).toBe(0);
  });

  it('keeps an incomplete frame as rest and completes it with the next chunk', () => {
    const whole = 'SUBSCRIBE\nid:sub-1\ndestination:/topic/task/0x01\n\n\0';
    for (let cut = 1; cut < whole.length; cut++) {
      const first = decodeFrames(bytes(whole.slice(0, cut)));
      expect(first.frames).toEqual([]);
      expect(first.error).toBeUndefined();
      const second = decodeFrames(Buffer.concat([first.rest, bytes(whole.slice(cut))]));
      expect(second.frames).toHaveLength(1);
      expect(second.frames[0].headers).toEqual({ id: 'sub-1', destination: '/topic/task/0x01' });
    }
  });

  it('reads exactly content-length bytes of body, NUL bytes included', () => {
    const body = 'a\0b\0é';
    const frame = `SEND\ndestination:/x\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`;
    const result = decodeFrames(bytes(frame + 'DISCONNECT\n\n\0'));
    expect(result.frames.map((f) => f.command)).toEqual(['SEND', 'DISCONNECT']);
    expect(result.frames[0].body).toBe(body);
  });

  it('waits for the whole declared body even if a NUL appears earlier', () => {
    const result = decodeFrames(bytes('SEND\ncontent-length:5\n\nab\0'));
    expect(result.frames).toEqual([]);
    expect(result.rest.toString()).toBe('SEND\ncontent-length:5\n\nab\0');
  });

  it('rejects a body not terminated by NUL where content-length says it ends', () => {
    expect(decodeFrames(bytes('SEND\ncontent-length:2\n\nabc\0')).error).toBe(
      'Frame is not NUL-terminated',
    );
  });

  it('ends a body without content-length at the first NUL', () => {
    const result = decodeFrames(bytes('SEND\ndestination:/x\n\nhello\0world'));
    expect(result.frames[0].body).toBe('hello');
    expect(result.rest.toString()).toBe('world');
  });

  it('unescapes header names and values, except in CONNECT frames', () => {
    const sub = decodeFrames(bytes('SUBSCRIBE\nid:a\\cb\\\\c\\nd\\re\ndest\\cx:/t\n\n\0'));
    expect(sub.frames[0].headers).toEqual({ id: 'a:b\\c\nd\re', 'dest:x': '/t' });
    const connect = decodeFrames(bytes('CONNECT\nlogin:a\\cb\n\n\0'));
    expect(connect.frames[0].headers).toEqual({ login: 'a\\cb' });
  });

  it('keeps the first occurrence of a repeated header and colons inside values', () => {
    const result = decodeFrames(bytes('SUBSCRIBE\nid:1\nid:2\ndestination:/a:b\n\n\0'));
    expect(result.frames[0].headers).toEqual({ id: '1', destination: '/a:b' });
  });

  it.each([
    ['an undefined escape', 'SUBSCRIBE\nid:a\\tb\n\n\0', 'Invalid escape sequence in header'],
    ['a header line without colon', 'SUBSCRIBE\nid\n\n\0', 'Malformed header line'],
    ['a lower-case command', 'connect\n\n\0', 'Invalid STOMP command'],
    ['garbage', '{"json":true}\n\n\0', 'Invalid STOMP command'],
    ['a non-numeric content-length', 'SEND\ncontent-length:x\n\n\0', 'Invalid content-length'],
  ])('reports %s as an error', (_label, text, error) => {
    expect(decodeFrames(bytes(text)).error).toBe(error);
  });

  it('returns the frames decoded before a fault', () => {
    const result = decodeFrames(bytes('DISCONNECT\n\n\0BAD\nnocolon\n\n\0'));
    expect(result.frames.map((f) => f.command)).toEqual(['DISCONNECT']);
    expect(result.error).toBe('Malformed header line');
  });

  it('refuses frames larger than the limit, complete or not', () => {
    const big = `SEND\n\n${'x'.repeat(100)}\0`;
    expect(decodeFrames(bytes(big), 64).error).toBe('Frame too large');
    expect(decodeFrames(bytes(big.slice(0, 90)), 64).error).toBe('Frame too large');
    expect(decodeFrames(bytes('SEND\ncontent-length:1000\n\n'), 64).error).toBe('Frame too large');
    expect(decodeFrames(bytes(big), 1000).frames).toHaveLength(1);
  });

  it('counts a lone heart-beat and a CR waiting for its LF', () => {
    expect(decodeFrames(bytes('\n'))).toEqual({ frames: [], heartbeats: 1, rest: Buffer.alloc(0) });
    const cr = decodeFrames(bytes('\r'));
    expect(cr.error).toBeUndefined();
    expect(cr.frames).toEqual([]);
  });
});

describe('STOMP frame encoding', () => {
  it('encodes CONNECTED without escaping and without content-length', () => {
    expect(
      encodeFrame('CONNECTED', [
        ['version', '1.2'],
        ['heart-beat', '0,0'],
      ]),
    ).toBe('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
  });

  it('escapes headers and adds the UTF-8 byte length of a body', () => {
    const text = encodeFrame('ERROR', [['message', 'bad: a\nb\\c']], 'é\0');
    expect(text).toBe('ERROR\nmessage:bad\\c a\\nb\\\\c\ncontent-length:3\n\né\0\0');
  });

  it('round-trips through the decoder', () => {
    const headers: [string, string][] = [
      ['destination', '/topic/task/0x1'],
      ['id', 'a:b\r\n\\'],
    ];
    const [frame] = decodeFrames(bytes(encodeFrame('MESSAGE', headers, 'x\0y'))).frames;
    expect(frame).toEqual({
      command: 'MESSAGE',
      headers: { ...Object.fromEntries(headers), 'content-length': '3' },
      body: 'x\0y',
    });
  });

  it('escapes and unescapes symmetrically', () => {
    const text = 'a:b\\c\nd\re';
    expect(escapeHeader(text)).toBe('a\\cb\\\\c\\nd\\re');
    expect(unescapeHeader(escapeHeader(text))).toBe(text);
    expect(unescapeHeader('trailing\\')).toBeUndefined();
  });
});
