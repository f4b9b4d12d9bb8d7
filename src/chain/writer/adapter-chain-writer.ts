import { assertLeading } from '../../leadership/write-fence.js';
import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { forEachLimit } from '../../common/for-each-limit.js';
import { httpCall, isSuccess } from '../../common/http/http-call.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { afterStatusRead, classifyPostAnswer, type StatusRead } from './adapter-send-rules.js';
import { ChainCommand, ChainWriter, CommandStatus, RequestResult } from './chain-writer.js';

const ADAPTER_STATUSES: Record<string, CommandStatus> = {
  RECEIVED: 'PENDING',
  PROCESSING: 'PENDING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
};
const STATUS_CALLS_AT_ONCE = 16;
/** POSTs of one request (each ambiguous one followed by a status read), and their spacing. */
const POST_ATTEMPTS = 3;
const RETRY_DELAY_MS = 200;

const statusPath = (chainTaskId: string, command: ChainCommand) =>
  `/v1/tasks/${command}/${chainTaskId}/status`;

/**
 * Writes through the iExec Blockchain Adapter (services.md §2), as the Java scheduler does, but
 * polls command statuses in one background job instead of blocking a task update per command.
 */
export class AdapterChainWriter extends ChainWriter {
  readonly mode = 'adapter';
  private readonly logger = new Logger(AdapterChainWriter.name);
  private readonly pending = new Map<string, { chainTaskId: string; command: ChainCommand }>();
  private readonly authorization: string;

  constructor(
    private readonly config: AppConfig,
    private readonly http: HttpService,
    jobs: JobScheduler,
    pollIntervalMs: number,
  ) {
    super();
    const { username, password } = config.blockchainAdapter;
    this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    jobs.register('blockchain-adapter-commands', pollIntervalMs, () => this.pollPending());
  }

  private url(path: string): string {
    return `${this.config.blockchainAdapter.url}${path}`;
  }

  /** One HTTP call; transport errors retried per `attempts` (the Java client retries I/O errors). */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    attempts: number,
  ): Promise<{ status: number; text: string }> {
    // A POST makes the adapter send a transaction: a leader past its lease stops before it.
    if (method === 'POST') assertLeading(`the adapter POST ${path}`);
    const answer = await httpCall(
      this.http,
      {
        method,
        url: this.url(path),
        headers: { authorization: this.authorization },
        data: body,
        timeout: this.config.blockchainAdapter.requestTimeoutMs,
      },
      { attempts, delayMs: RETRY_DELAY_MS },
    );
    return { status: answer.status, text: answer.body };
  }

  async requestInitialize(
    chainDealId: string,
    taskIndex: number,
    chainTaskId: string,
  ): Promise<RequestResult> {
    const path = `/v1/tasks/initialize?chainDealId=${chainDealId}&taskIndex=${taskIndex}`;
    return this.request(path, undefined, chainTaskId, 'initialize');
  }

  async requestFinalize(
    chainTaskId: string,
    resultLink: string | undefined,
    callbackData: string | undefined,
  ): Promise<RequestResult> {
    const body = { resultLink: resultLink ?? null, callbackData: callbackData ?? null };
    return this.request(`/v1/tasks/finalize/${chainTaskId}`, body, chainTaskId, 'finalize');
  }

  /**
   * A POST is never repeated blindly: an unanswered one may have been accepted, and the adapter
   * answers a repeat with a 400. Every ambiguous answer is followed by a status read of the
   * command; only a definite refusal is returned as one.
   */
  private async request(
    path: string,
    body: unknown,
    chainTaskId: string,
    command: ChainCommand,
  ): Promise<RequestResult> {
    let earlierUnanswered = false;
    for (let attempt = 1; ; attempt++) {
      const answer = await this.call('POST', path, body, 1).catch((error: unknown) => ({
        error: (error as Error).message,
      }));
      const outcome = classifyPostAnswer(answer, chainTaskId, command);
      if (outcome.kind === 'accepted') return this.accepted(chainTaskId, command);
      if (outcome.kind === 'refused')
        return { accepted: false, reason: outcome.reason, transient: false };
      const read = await this.readStatus(chainTaskId, command);
      const next = afterStatusRead(outcome.kind, read, earlierUnanswered, attempt < POST_ATTEMPTS);
      this.logger.warn(
        `Adapter ${command} ${chainTaskId}: ${outcome.reason}; command status ${read} → ${next}`,
        { chainTaskId },
      );
      if (next === 'accepted') return this.accepted(chainTaskId, command);
      if (next === 'refused') return { accepted: false, reason: outcome.reason, transient: false };
      if (next === 'retry-later')
        return { accepted: false, reason: outcome.reason, transient: true };
      earlierUnanswered ||= outcome.kind === 'unanswered';
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
    }
  }

  private accepted(chainTaskId: string, command: ChainCommand): RequestResult {
    this.pending.set(`${command}:${chainTaskId}`, { chainTaskId, command });
    return { accepted: true };
  }

  /** Whether the adapter holds the command, for the POST rules (the poll reads its status). */
  private async readStatus(chainTaskId: string, command: ChainCommand): Promise<StatusRead> {
    try {
      const res = await this.call('GET', statusPath(chainTaskId, command), undefined, 3);
      if (res.status === 404) return 'ABSENT';
      return isSuccess(res.status) ? 'EXISTS' : 'UNREADABLE';
    } catch (error) {
      this.logger.warn(
        `Adapter status of ${command} ${chainTaskId} unavailable: ${(error as Error).message}`,
        { chainTaskId },
      );
      return 'UNREADABLE';
    }
  }

  async status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus> {
    try {
      const res = await this.call('GET', statusPath(chainTaskId, command), undefined, 3);
      if (res.status === 404) return 'UNKNOWN';
      if (!isSuccess(res.status)) return 'PENDING';
      // A JSON string literal ("SUCCESS"); tolerate an unquoted body.
      return ADAPTER_STATUSES[res.text.trim().replace(/^"|"$/g, '')] ?? 'PENDING';
    } catch (error) {
      this.logger.warn(
        `Adapter status of ${command} ${chainTaskId} unavailable: ${(error as Error).message}`,
        { chainTaskId },
      );
      return 'PENDING';
    }
  }

  /** Several status calls at once: one after the other, each settle waited behind the others. */
  private async pollPending(): Promise<void> {
    await forEachLimit([...this.pending], STATUS_CALLS_AT_ONCE, async ([key, pending]) => {
      const status = await this.status(pending.chainTaskId, pending.command);
      if (status === 'SUCCESS' || status === 'FAILURE') {
        this.pending.delete(key);
        this.settled(pending.chainTaskId, pending.command, status);
      } else if (status === 'UNKNOWN') {
        this.pending.delete(key);
      }
    });
  }
}
