import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { forEachLimit } from '../../common/for-each-limit.js';
import { httpCall, isSuccess } from '../../common/http/http-call.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { ChainCommand, ChainWriter, CommandStatus, RequestResult } from './chain-writer.js';

const ADAPTER_STATUSES: Record<string, CommandStatus> = {
  RECEIVED: 'PENDING',
  PROCESSING: 'PENDING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
};
const REQUEST_TIMEOUT_MS = 30_000;
const STATUS_CALLS_AT_ONCE = 16;

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

  /** One HTTP call; transport errors retried twice (the Java client retries I/O errors too). */
  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; text: string }> {
    const answer = await httpCall(
      this.http,
      {
        method,
        url: this.url(path),
        headers: { authorization: this.authorization },
        data: body,
        timeout: REQUEST_TIMEOUT_MS,
      },
      { attempts: 3, delayMs: 200 },
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

  private async request(
    path: string,
    body: unknown,
    chainTaskId: string,
    command: ChainCommand,
  ): Promise<RequestResult> {
    try {
      const res = await this.call('POST', path, body);
      const text = res.text.trim();
      if (!isSuccess(res.status)) {
        return {
          accepted: false,
          reason: `adapter answered HTTP ${res.status} to ${command}`,
          transient: res.status >= 500,
        };
      }
      if (text === '')
        return {
          accepted: false,
          reason: `adapter accepted ${command} with an empty body`,
          transient: false,
        };
      if (text.toLowerCase() !== chainTaskId.toLowerCase()) {
        return {
          accepted: false,
          reason: `adapter ${command} answered task ${text}, expected ${chainTaskId}`,
          transient: false,
        };
      }
      this.pending.set(`${command}:${chainTaskId}`, { chainTaskId, command });
      return { accepted: true };
    } catch (error) {
      return {
        accepted: false,
        reason: `adapter unreachable for ${command}: ${(error as Error).message}`,
        transient: true,
      };
    }
  }

  async status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus> {
    try {
      const res = await this.call('GET', `/v1/tasks/${command}/${chainTaskId}/status`);
      if (res.status === 404) return 'UNKNOWN';
      if (!isSuccess(res.status)) return 'PENDING';
      // A JSON string literal ("SUCCESS"); tolerate an unquoted body.
      return ADAPTER_STATUSES[res.text.trim().replace(/^"|"$/g, '')] ?? 'PENDING';
    } catch (error) {
      this.logger.warn(
        `Adapter status of ${command} ${chainTaskId} unavailable: ${(error as Error).message}`,
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
