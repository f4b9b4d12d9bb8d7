// STOMP 1.2 frame codec (https://stomp.github.io/stomp-specification-1.2.html), pure functions.
// Client frames arrive as SockJS text messages which may split or concatenate frames; sizes
// (content-length) are UTF-8 byte counts, so decoding works on bytes.

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const COLON = 0x3a;

/** Largest client frame accepted (Spring's STOMP-over-WebSocket default message size limit). */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

export interface StompFrame {
  command: string;
  /** Decoded header values; when a header is repeated the first occurrence wins (STOMP 1.2). */
  headers: Record<string, string>;
  body: string;
}

export interface DecodeResult {
  frames: StompFrame[];
  /** Bare EOLs seen between frames (STOMP heart-beats). */
  heartbeats: number;
  /** Bytes of an incomplete trailing frame, to prepend to the next input. */
  rest: Buffer;
  /** Set when the input is not STOMP; frames decoded before the fault are still returned. */
  error?: string;
}

/** CONNECT and CONNECTED headers are never escaped (STOMP 1.2 "Value Encoding"). */
function usesEscaping(command: string): boolean {
  return command !== 'CONNECT' && command !== 'CONNECTED';
}

const UNESCAPES: Record<string, string> = { r: '\r', n: '\n', c: ':', '\\': '\\' };

/** Undoes header escaping; undefined when an escape sequence is not one of \r \n \c \\. */
export function unescapeHeader(text: string): string | undefined {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '\\') {
      out += char;
      continue;
    }
    const replacement = UNESCAPES[text[i + 1] ?? ''];
    if (replacement === undefined) return undefined;
    out += replacement;
    i++;
  }
  return out;
}

export function escapeHeader(text: string): string {
  return /[\\\r\n:]/.test(text)
    ? text.replace(/[\\\r\n:]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\c',
      )
    : text;
}

type Step =
  | { kind: 'frame'; frame: StompFrame; end: number }
  | { kind: 'incomplete' }
  | { kind: 'error'; error: string };

/** Strips the optional CR of an EOL. */
function lineEnd(input: Buffer, start: number, lf: number): number {
  return lf > start && input[lf - 1] === CR ? lf - 1 : lf;
}

function decodeOne(input: Buffer, start: number, maxFrameBytes: number): Step {
  let lf = input.indexOf(LF, start);
  if (lf < 0) return { kind: 'incomplete' };
  const command = input.toString('utf8', start, lineEnd(input, start, lf));
  if (!/^[A-Z]+$/.test(command)) return { kind: 'error', error: 'Invalid STOMP command' };
  const escaped = usesEscaping(command);
  const headers: Record<string, string> = {};
  let pos = lf + 1;
  for (;;) {
    lf = input.indexOf(LF, pos);
    if (lf < 0) return { kind: 'incomplete' };
    const end = lineEnd(input, pos, lf);
    if (end === pos) break;
    const colon = input.indexOf(COLON, pos);
    if (colon < 0 || colon >= end) return { kind: 'error', error: 'Malformed header line' };
    const rawName = input.toString('utf8', pos, colon);
    const rawValue = input.toString('utf8', colon + 1, end);
    const name = escaped ? unescapeHeader(rawName) : rawName;
    const value = escaped ? unescapeHeader(rawValue) : rawValue;
    if (name === undefined || value === undefined) {
      return { kind: 'error', error: 'Invalid escape sequence in header' };
    }
    if (!(name in headers)) headers[name] = value;
    pos = lf + 1;
  }
  const bodyStart = lf + 1;
  const declared = headers['content-length'];
  let bodyEnd: number;
  if (declared !== undefined) {
    if (!/^\d{1,9}$/.test(declared.trim()))
      return { kind: 'error', error: 'Invalid content-length' };
    bodyEnd = bodyStart + Number(declared.trim());
    if (bodyEnd - start >= maxFrameBytes) return { kind: 'error', error: 'Frame too large' };
    if (input.length <= bodyEnd) return { kind: 'incomplete' };
    if (input[bodyEnd] !== NUL) return { kind: 'error', error: 'Frame is not NUL-terminated' };
  } else {
    bodyEnd = input.indexOf(NUL, bodyStart);
    if (bodyEnd < 0) return { kind: 'incomplete' };
  }
  const frame = { command, headers, body: input.toString('utf8', bodyStart, bodyEnd) };
  return { kind: 'frame', frame, end: bodyEnd + 1 };
}

/**
 * Decodes every complete frame of `input`. Leading EOLs (heart-beats, or the optional EOLs that
 * follow a frame's NUL) are skipped; an incomplete tail is returned in `rest`.
 */
export function decodeFrames(input: Buffer, maxFrameBytes = DEFAULT_MAX_FRAME_BYTES): DecodeResult {
  const frames: StompFrame[] = [];
  let heartbeats = 0;
  let pos = 0;
  for (;;) {
    while (pos < input.length) {
      if (input[pos] === LF) {
        heartbeats++;
        pos++;
      } else if (input[pos] === CR && input[pos + 1] === LF) {
        heartbeats++;
        pos += 2;
      } else break;
    }
    if (pos >= input.length) return { frames, heartbeats, rest: EMPTY };
    const step = decodeOne(input, pos, maxFrameBytes);
    if (step.kind === 'error') return { frames, heartbeats, rest: EMPTY, error: step.error };
    if (step.kind === 'incomplete') {
      const rest = input.subarray(pos);
      if (rest.length > maxFrameBytes) {
        return { frames, heartbeats, rest: EMPTY, error: 'Frame too large' };
      }
      return { frames, heartbeats, rest };
    }
    if (step.end - pos > maxFrameBytes) {
      return { frames, heartbeats, rest: EMPTY, error: 'Frame too large' };
    }
    frames.push(step.frame);
    pos = step.end;
  }
}

const EMPTY = Buffer.alloc(0);

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/**
 * Encodes a server frame as the text written to SockJS. A non-empty body gets a content-length
 * (in UTF-8 bytes) unless the headers already carry one.
 */
export function encodeFrame(command: string, headers: HeaderList = [], body = ''): string {
  const escape = usesEscaping(command);
  let text = `${command}\n`;
  let hasLength = false;
  for (const [name, value] of headers) {
    if (name === 'content-length') hasLength = true;
    text += escape ? `${escapeHeader(name)}:${escapeHeader(value)}\n` : `${name}:${value}\n`;
  }
  if (body.length > 0 && !hasLength) text += `content-length:${Buffer.byteLength(body)}\n`;
  return `${text}\n${body}\0`;
}
