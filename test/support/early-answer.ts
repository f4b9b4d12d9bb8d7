import { request } from 'node:http';

/**
 * Sends a request's headers announcing `declaredBytes` of body, and only the first `sentBytes`
 * of it; resolves with the status code when the server answers without the rest (it refused
 * the request before reading its body), rejects when it does not answer within `timeoutMs`.
 */
export function statusBeforeBody(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    declaredBytes: number;
    sentBytes?: number;
    timeoutMs?: number;
  },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        ...options.headers,
        'content-length': String(options.declaredBytes),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(
        new Error(`no answer within ${options.timeoutMs ?? 2000} ms before the body was sent`),
      );
    }, options.timeoutMs ?? 2000);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.write('{'.padEnd(options.sentBytes ?? 16, ' '));
  });
}
