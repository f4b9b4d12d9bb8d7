// The scheduler's worker-facing REST API (worker-api.md §1) as the 8.5 worker calls it. Every
// call answers an ApiResult instead of throwing: the worker's retry rules depend on the status
// (401 → log in again, no status at all → transport failure).
import type { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import type { TaskNotification } from '../../src/notification/task-notification.js';
import type { PublicConfiguration } from '../../src/worker/public-configuration.js';
import {
  decodePublicConfiguration,
  decodeReplicateTaskSummary,
  decodeStringList,
  decodeTaskNotifications,
  type ReplicateTaskSummary,
} from './decoders.js';
import { baseUrl, HttpClient, TransportError, type HttpResponse } from './http.js';
import { decodeNextAction, type ReplicateStatusUpdateBody } from './protocol.js';

/** `status` 0: no HTTP answer (transport failure). */
export type ApiResult<T> =
  { ok: true; status: number; value: T } | { ok: false; status: number; error: string };

/** W4 body (§3.2). */
export interface WorkerModel {
  name: string;
  walletAddress: string;
  os: string;
  cpu: string;
  cpuNb: number;
  memorySize: number;
  teeEnabled: boolean;
  gpuEnabled: boolean;
  /** iexec-worker 9.x only; absent from what an 8.5 worker sends. */
  tdxEnabled?: boolean;
}

export interface SchedulerApi {
  /** W5; undecodable or failed → ok false (the worker cannot start). */
  getConfig(signal?: AbortSignal): Promise<ApiResult<PublicConfiguration>>;
  getChallenge(wallet: string, signal?: AbortSignal): Promise<ApiResult<string>>;
  login(wallet: string, signature: string, signal?: AbortSignal): Promise<ApiResult<string>>;
  register(token: string, worker: WorkerModel, signal?: AbortSignal): Promise<ApiResult<void>>;
  /** W3: the configuration fingerprint (may be empty). */
  ping(token: string, signal?: AbortSignal): Promise<ApiResult<string>>;
  computing(token: string, signal?: AbortSignal): Promise<ApiResult<string[]>>;
  /** R1: null on 204. */
  available(
    token: string,
    blockNumber: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<ReplicateTaskSummary | null>>;
  interrupted(
    token: string,
    blockNumber: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<TaskNotification[]>>;
  /** R3: ok only for a decodable TaskNotificationType (200, 202, 208 with a quoted constant). */
  updateStatus(
    token: string,
    chainTaskId: string,
    body: ReplicateStatusUpdateBody,
    signal?: AbortSignal,
  ): Promise<ApiResult<TaskNotificationType>>;
}

const bearer = (token: string) => (token ? `Bearer ${token}` : undefined);

export class HttpSchedulerApi implements SchedulerApi {
  readonly url: string;

  constructor(
    url: string,
    readonly http: HttpClient = new HttpClient(),
  ) {
    this.url = baseUrl(url);
  }

  getConfig(signal?: AbortSignal) {
    return this.call('GET', '/workers/config', 'W5 config', { signal }, (r) =>
      r.status === 200 ? decodePublicConfiguration(r.body) : undefined,
    );
  }

  getChallenge(wallet: string, signal?: AbortSignal) {
    const path = `/workers/challenge?walletAddress=${encodeURIComponent(wallet)}`;
    return this.call('GET', path, 'W1 challenge', { signal }, (r) =>
      r.status === 200 ? r.body : undefined,
    );
  }

  login(wallet: string, signature: string, signal?: AbortSignal) {
    const path = `/workers/login?walletAddress=${encodeURIComponent(wallet)}`;
    return this.call('POST', path, 'W2 login', { body: { value: signature }, signal }, (r) =>
      r.status === 200 && r.body ? r.body : undefined,
    );
  }

  register(token: string, worker: WorkerModel, signal?: AbortSignal) {
    const request = { headers: { Authorization: bearer(token) }, body: worker, signal };
    return this.call('POST', '/workers/register', 'W4 register', request, (r) =>
      r.status === 200 ? (null as unknown as void) : undefined,
    );
  }

  ping(token: string, signal?: AbortSignal) {
    const request = { headers: { Authorization: bearer(token) }, signal };
    return this.call('POST', '/workers/ping', 'W3 ping', request, (r) =>
      r.status === 200 ? r.body : undefined,
    );
  }

  computing(token: string, signal?: AbortSignal) {
    const request = { headers: { Authorization: bearer(token) }, signal };
    return this.call('GET', '/workers/computing', 'W6 computing', request, (r) =>
      r.status === 200 ? decodeStringList(r.body) : undefined,
    );
  }

  available(token: string, blockNumber: number, signal?: AbortSignal) {
    const request = { headers: { Authorization: bearer(token) }, signal };
    const path = `/replicates/available?blockNumber=${blockNumber}`;
    return this.call('GET', path, 'R1 available', request, (r) => {
      if (r.status === 204) return null;
      return r.status === 200 ? decodeReplicateTaskSummary(r.body) : undefined;
    });
  }

  interrupted(token: string, blockNumber: number, signal?: AbortSignal) {
    const request = { headers: { Authorization: bearer(token) }, signal };
    const path = `/replicates/interrupted?blockNumber=${blockNumber}`;
    return this.call('GET', path, 'R2 interrupted', request, (r) =>
      r.status === 200 ? decodeTaskNotifications(r.body) : undefined,
    );
  }

  updateStatus(
    token: string,
    chainTaskId: string,
    body: ReplicateStatusUpdateBody,
    signal?: AbortSignal,
  ) {
    const request = { headers: { Authorization: bearer(token) }, body, signal };
    const path = `/replicates/${chainTaskId}/updateStatus`;
    return this.call('POST', path, 'R3 updateStatus', request, (r) =>
      decodeNextAction(r.status, r.body),
    );
  }

  private async call<T>(
    method: string,
    path: string,
    endpoint: string,
    request: { headers?: Record<string, string | undefined>; body?: unknown; signal?: AbortSignal },
    decode: (response: HttpResponse) => T | undefined,
  ): Promise<ApiResult<T>> {
    let response: HttpResponse;
    try {
      response = await this.http.request(method, `${this.url}${path}`, { ...request, endpoint });
    } catch (error) {
      const message = error instanceof TransportError ? error.message : String(error);
      return { ok: false, status: 0, error: message };
    }
    try {
      const value = decode(response);
      if (value !== undefined) return { ok: true, status: response.status, value };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, status: response.status, error: `undecodable: ${message}` };
    }
  }
}
