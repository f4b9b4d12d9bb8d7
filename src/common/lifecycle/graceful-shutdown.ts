import type { LoggerService } from '@nestjs/common';
import type { RequestGate } from '../http/request-gate.js';

/** What a graceful shutdown needs from the application (a Nest app in main.ts). */
export interface ShutdownTarget {
  /** Readiness OUT_OF_SERVICE (liveness unchanged). */
  refuseTraffic(): void;
  gate?: RequestGate;
  /** Nest's close: jobs stop, deferred writes are flushed, the database and server close. */
  close(): Promise<void>;
}

export type ShutdownOutcome = 'clean' | 'deadline';

/** Share of the deadline requests in flight may use; the rest is kept for the flushes. */
const DRAIN_SHARE = 2 / 3;

function after(ms: number): Promise<'deadline'> {
  return new Promise((resolve) => setTimeout(() => resolve('deadline'), ms).unref());
}

/**
 * Spring's graceful shutdown within `spring.lifecycle.timeout-per-shutdown-phase`: readiness
 * goes OUT_OF_SERVICE, new requests are refused, those in flight get up to 2/3 of the deadline,
 * then the application closes (everything deferred is written). 'deadline' when it did not
 * finish in time: the caller exits anyway.
 */
export async function shutDownGracefully(
  target: ShutdownTarget,
  deadlineMs: number,
  logger: LoggerService,
): Promise<ShutdownOutcome> {
  const started = Date.now();
  target.refuseTraffic();
  target.gate?.drain();
  if (target.gate && target.gate.requestsInFlight > 0) {
    const drained = await Promise.race([target.gate.idle(), after(deadlineMs * DRAIN_SHARE)]);
    if (drained === 'deadline')
      logger.warn(
        `${target.gate.requestsInFlight} request(s) still in flight after ${Math.round(deadlineMs * DRAIN_SHARE)} ms: closing anyway`,
        'Shutdown',
      );
  }
  const left = Math.max(0, deadlineMs - (Date.now() - started));
  const closed = await Promise.race([target.close().then(() => 'clean' as const), after(left)]);
  if (closed === 'deadline')
    logger.error(`Shutdown not finished within ${deadlineMs} ms: exiting anyway`, 'Shutdown');
  return closed;
}
