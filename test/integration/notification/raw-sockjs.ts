import { EventEmitter } from 'node:events';
import http from 'node:http';

// Minimal hand-written SockJS HTTP client for protocol-level tests: no sockjs-client in the way.

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One plain HTTP request on a fresh connection. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** xhr_send: posts STOMP text messages as the JSON array of strings SockJS expects. */
export async function xhrSend(sessionUrl: string, ...messages: string[]): Promise<number> {
  const answer = await request(`${sessionUrl}/xhr_send`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(messages),
  });
  return answer.status;
}

/** The STOMP messages carried by an `a[...]` SockJS frame. */
export function messagesOf(frame: string): string[] {
  if (!frame.startsWith('a')) throw new Error(`not a message frame: ${frame}`);
  return JSON.parse(frame.slice(1)) as string[];
}

/**
 * An `xhr_streaming` receiving request. Collects the SockJS frames (one per line) that follow the
 * 2048-`h` prelude.
 */
export class XhrStream extends EventEmitter {
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  prelude = '';
  bytes = 0;
  ended = false;
  readonly frames: string[] = [];
  private cursor = 0;
  private buffer = '';
  private req?: http.ClientRequest;

  static open(sessionUrl: string, headers: Record<string, string> = {}): Promise<XhrStream> {
    const stream = new XhrStream();
    return new Promise((resolve, reject) => {
      stream.req = http.request(
        `${sessionUrl}/xhr_streaming`,
        { method: 'POST', agent: false, headers },
        (res) => {
          stream.status = res.statusCode ?? 0;
          stream.headers = res.headers;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => stream.receive(chunk));
          res.on('end', () => {
            stream.ended = true;
            stream.emit('change');
          });
          res.on('error', () => undefined);
          resolve(stream);
        },
      );
      stream.req.on('error', reject);
      stream.req.end();
    });
  }

  /** Next unread frame, skipping heartbeats unless asked; rejects on timeout or end. */
  async next(timeoutMs = 5000, skipHeartbeats = true): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++];
        if (!(skipHeartbeats && frame === 'h')) return frame;
      }
      if (this.ended) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no frame before timeout');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.once('change', done);
      });
    }
  }

  /** The next STOMP messages (skipping heartbeats). */
  async nextMessages(timeoutMs = 5000): Promise<string[]> {
    return messagesOf(await this.next(timeoutMs));
  }

  /** Resolves when the server ended the response. */
  async end(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  abort(): void {
    this.req?.destroy();
  }

  private receive(chunk: string): void {
    this.bytes += Buffer.byteLength(chunk);
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (!this.prelude && /^h{2048}$/.test(line)) this.prelude = line;
      else this.frames.push(line);
    }
    this.emit('change');
  }
}

let sessionSeq = 0;

/** A fresh `/connect/{server}/{session}` URL. */
export function sessionUrl(baseUrl: string): string {
  sessionSeq++;
  return `${baseUrl}/connect/${sessionSeq % 1000}/s${process.pid}x${sessionSeq}`;
}

/** The CONNECT frame of the Java worker (Spring's STOMP client). */
export const WORKER_CONNECT = 'CONNECT\naccept-version:1.1,1.2\nheart-beat:10000,10000\n\n\0';
