import type { ClientRequest, IncomingMessage } from 'node:http';
// The module instance sockjs-client itself requires (a static import, so Jest's registry gives
// the same one too).
import XhrDriver from 'sockjs-client/lib/transport/driver/xhr.js';

// sockjs-client's Node XHR driver finishes a request on the response's 'end' or the request's
// 'error'. A server that dies mid-stream (a SIGKILLed scheduler) gives neither: Node emits
// 'aborted' and 'close' on the response instead. The xhr-streaming receiver then waits forever,
// and the worker notices only through its staleness watchdog, 20-30 s later, while every push
// notification of the restarted scheduler goes nowhere. The Java worker's SockJS client gets an
// IOException on its read and reconnects at once; this makes ours do the same: a response closed
// before it was complete finishes the driver with status 0, which sockjs-client treats as a
// lost transport (close 1006), so STOMP reconnects after its reconnect delay.

interface XhrDriverInstance {
  emit(event: 'finish', status: number, text: string): boolean;
}

const PATCHED = Symbol.for('iexec.sockjsStreamEnd');
const REQUEST = Symbol('request');

export function finishDroppedStreams(): void {
  const proto = XhrDriver.prototype;
  if (proto[PATCHED]) return;
  Object.defineProperty(proto, PATCHED, { value: true });
  // The driver's constructor assigns `this.req = http.request(...)`: an accessor on its
  // prototype sees that request without copying the driver.
  Object.defineProperty(proto, 'req', {
    configurable: true,
    get(this: Record<symbol, ClientRequest | null>) {
      return this[REQUEST] ?? null;
    },
    set(this: Record<symbol, ClientRequest | null> & XhrDriverInstance, req: ClientRequest | null) {
      this[REQUEST] = req;
      req?.once('response', (res: IncomingMessage) => {
        res.once('close', () => {
          if (!res.complete) this.emit('finish', 0, 'stream closed before its end');
        });
      });
    },
  });
}
