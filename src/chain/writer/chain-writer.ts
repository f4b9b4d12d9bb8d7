/** initialize or finalize, the two transactions the scheduler has sent for a task. */
export type ChainCommand = 'initialize' | 'finalize';

/**
 * What the writer knows about a command: accepted and not settled yet (PENDING), mined with
 * success (SUCCESS), reverted or not sendable (FAILURE), or never heard of (UNKNOWN — e.g. after
 * a restart in embedded mode; the caller then looks at the chain).
 */
export type CommandStatus = 'PENDING' | 'SUCCESS' | 'FAILURE' | 'UNKNOWN';

/**
 * A refusal is `transient` when it says nothing about the task (service or node unreachable,
 * 5xx, send error): the task stays where it is and is retried; otherwise the command is refused
 * for good (pre-checks failed, transaction would revert).
 */
export type RequestResult =
  { accepted: true } | { accepted: false; reason: string; transient: boolean };

export type CommandSettledListener = (
  chainTaskId: string,
  command: ChainCommand,
  status: 'SUCCESS' | 'FAILURE',
) => void;

/**
 * Sends the scheduler's two transactions. Requests return as soon as the command is accepted;
 * completion is reported to the listeners (which trigger a task update), so no task update ever
 * waits for a receipt.
 */
export abstract class ChainWriter {
  abstract readonly mode: 'adapter' | 'embedded';

  abstract requestInitialize(
    chainDealId: string,
    taskIndex: number,
    chainTaskId: string,
  ): Promise<RequestResult>;

  abstract requestFinalize(
    chainTaskId: string,
    resultLink: string | undefined,
    callbackData: string | undefined,
  ): Promise<RequestResult>;

  abstract status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus>;

  private readonly listeners: CommandSettledListener[] = [];

  onSettled(listener: CommandSettledListener): void {
    this.listeners.push(listener);
  }

  protected settled(
    chainTaskId: string,
    command: ChainCommand,
    status: 'SUCCESS' | 'FAILURE',
  ): void {
    for (const listener of this.listeners) listener(chainTaskId, command, status);
  }
}

/** `results` of finalize: the UTF-8 bytes of the result link (chain.md §10). */
export function finalizeResultsBytes(resultLink: string | undefined): `0x${string}` {
  return `0x${Buffer.from(resultLink ?? '', 'utf8').toString('hex')}`;
}

const withoutPrefix = (hex: string): string => (hex.startsWith('0x') ? hex.slice(2) : hex);

/** Why `callbackData` cannot be the `resultsCallback` of a finalize; undefined when it can. */
export function callbackDataProblem(callbackData: string | null | undefined): string | undefined {
  if (!callbackData || /^([0-9a-fA-F]{2})*$/.test(withoutPrefix(callbackData))) return undefined;
  const shown = callbackData.length > 80 ? `${callbackData.slice(0, 80)}…` : callbackData;
  return `callback data is not hex: ${shown}`;
}

/** `resultsCallback` of finalize: the hex-decoded callback data (empty when none). */
export function finalizeCallbackBytes(callbackData: string | undefined): `0x${string}` {
  if (!callbackData) return '0x';
  const problem = callbackDataProblem(callbackData);
  if (problem) throw new Error(problem);
  return `0x${withoutPrefix(callbackData).toLowerCase()}`;
}
