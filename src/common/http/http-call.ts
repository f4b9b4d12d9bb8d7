import type { HttpService } from '@nestjs/axios';
import type { AxiosRequestConfig } from 'axios';
import { firstValueFrom } from 'rxjs';

export interface HttpAnswer {
  status: number;
  /** The raw body text (JSON is parsed by the caller: several services answer plain text). */
  body: string;
}

export interface RetryPolicy {
  attempts: number;
  delayMs: number;
  /** Also retry these HTTP statuses (transport errors are always retried). */
  retryStatus?: (status: number) => boolean;
}

const NO_RETRY: RetryPolicy = { attempts: 1, delayMs: 0 };

/**
 * One HTTP exchange with the iExec services' conventions (services.md §1): `Content-Type:
 * application/json` on every request, every status returned (non-2xx is not an exception), raw
 * text body. Transport errors are retried per the policy, then thrown.
 */
export async function httpCall(
  http: HttpService,
  request: AxiosRequestConfig,
  policy: RetryPolicy = NO_RETRY,
): Promise<HttpAnswer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      const res = await firstValueFrom(
        http.request<string>({
          timeout: 30_000,
          ...request,
          headers: { 'content-type': 'application/json', ...request.headers },
          data:
            request.data === undefined || typeof request.data === 'string'
              ? request.data
              : JSON.stringify(request.data),
          responseType: 'text',
          transformResponse: (data: string) => data,
          validateStatus: () => true,
        }),
      );
      const answer = { status: res.status, body: String(res.data ?? '') };
      if (!policy.retryStatus?.(res.status) || attempt === policy.attempts) return answer;
      lastError = new Error(`HTTP ${res.status}`);
    } catch (error) {
      lastError = error;
      if (attempt === policy.attempts) break;
    }
    await new Promise((r) => setTimeout(r, policy.delayMs));
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export const isSuccess = (status: number) => status >= 200 && status < 300;
