import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { firstValueFrom } from 'rxjs';
import { AppConfig } from '../../config/app-config.js';
import { JobScheduler } from '../../common/jobs/job-scheduler.js';
import { ChainCommand, ChainWriter, CommandStatus, RequestResult } from './chain-writer.js';

const ADAPTER_STATUSES: Record<string, CommandStatus> = {
  RECEIVED: 'PENDING',
  PROCESSING: 'PENDING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
};
const REQUEST_TIMEOUT_MS = 30_000;

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

  /** One HTTP call; every status is returned to the caller (non-2xx is not an exception). */
  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const res = await firstValueFrom(
      this.http.request<string>({
        method,
        url: this.url(path),
        headers: { authorization: this.authorization, 'content-type': 'application/json' },
        data: body === undefined ? undefined : JSON.stringify(body),
        responseType: 'text',
        transformResponse: (data: string) => data,
        timeout: REQUEST_TIMEOUT_MS,
        validateStatus: () => true,
      }),
    );
    return { status: res.status, text: String(res.data ?? '') };
  }

  async requestInitialize(chainDealId: string, taskIndex: number, chainTaskId: string): Promise<RequestResult> {
    const path = `/v1/tasks/initialize?chainDealId=${chainDealId}&taskIndex=${taskIndex}`;
    return this.request(path, undefined, chainTaskId, 'initialize');
  }

  async requestFinalize(chainTaskId: string, resultLink: string | undefined, callbackData: string | undefined): Promise<RequestResult> {
    const body = { resultLink: resultLink ?? null, callbackData: callbackData ?? null };
    return this.request(`/v1/tasks/finalize/${chainTaskId}`, body, chainTaskId, 'finalize');
  }

  private async request(path: string, body: unknown, chainTaskId: string, command: ChainCommand): Promise<RequestResult> {
    try {
      const res = await this.call('POST', path, body);
      const text = res.text.trim();
      if (res.status < 200 || res.status >= 300) return { accepted: false, reason: `adapter answered HTTP ${res.status} to ${command}` };
      if (text === '') return { accepted: false, reason: `adapter accepted ${command} with an empty body` };
      if (text.toLowerCase() !== chainTaskId.toLowerCase()) {
        return { accepted: false, reason: `adapter ${command} answered task ${text}, expected ${chainTaskId}` };
      }
      this.pending.set(`${command}:${chainTaskId}`, { chainTaskId, command });
      return { accepted: true };
    } catch (error) {
      return { accepted: false, reason: `adapter unreachable for ${command}: ${(error as Error).message}` };
    }
  }

  async status(chainTaskId: string, command: ChainCommand): Promise<CommandStatus> {
    try {
      const res = await this.call('GET', `/v1/tasks/${command}/${chainTaskId}/status`);
      if (res.status === 404) return 'UNKNOWN';
      if (res.status < 200 || res.status >= 300) return 'PENDING';
      // A JSON string literal ("SUCCESS"); tolerate an unquoted body.
      return ADAPTER_STATUSES[res.text.trim().replace(/^"|"$/g, '')] ?? 'PENDING';
    } catch (error) {
      this.logger.warn(`Adapter status of ${command} ${chainTaskId} unavailable: ${(error as Error).message}`);
      return 'PENDING';
    }
  }

  private async pollPending(): Promise<void> {
    for (const [key, { chainTaskId, command }] of [...this.pending]) {
      const status = await this.status(chainTaskId, command);
      if (status === 'SUCCESS' || status === 'FAILURE') {
        this.pending.delete(key);
        this.settled(chainTaskId, command, status);
      } else if (status === 'UNKNOWN') {
        this.pending.delete(key);
      }
    }
  }
}
