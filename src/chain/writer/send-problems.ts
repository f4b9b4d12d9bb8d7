import type { ChainCommand, RequestResult } from './chain-writer.js';

/** A failed eth_call caused by the node being unreachable, not by a revert. */
export function isTransportError(error: unknown): boolean {
  const name = (error as { name?: string; cause?: { name?: string } })?.name ?? '';
  return (
    /HttpRequestError|TimeoutError|FetchError/.test(name) ||
    /HttpRequestError|TimeoutError/.test(
      (error as { cause?: { name?: string } })?.cause?.name ?? '',
    )
  );
}

/** The node refused the nonce (already used, or not the next one). */
export function isNonceError(error: unknown): boolean {
  return /nonce/i.test((error as Error)?.message ?? '');
}

/** Why a simulated call would fail; `transient` when the node did not answer. */
export interface SimulationProblem {
  message: string;
  transient: boolean;
}

export const refusal = (command: ChainCommand, problem: SimulationProblem): RequestResult => ({
  accepted: false,
  reason: `${command} would revert: ${problem.message}`,
  transient: problem.transient,
});

/** First line of an error's message (viem's go on with details and the docs URL). */
export const firstLine = (error: unknown): string => (error as Error).message.split('\n')[0];
