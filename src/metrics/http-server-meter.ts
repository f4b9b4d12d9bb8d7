/**
 * Spring Boot's `http.server.requests` meter as Micrometer names it for Prometheus
 * (`http_server_requests_seconds`), with its tags: method, uri (the route template), status,
 * outcome, exception.
 */
export const HTTP_SERVER_REQUESTS = 'http_server_requests_seconds';
export const HTTP_SERVER_LABELS = ['method', 'uri', 'status', 'outcome', 'exception'] as const;

/** Request durations from a millisecond (a ping) to the worker's read timeout (~1 min). */
export const HTTP_SERVER_BUCKETS = [
  0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** Spring's `outcome` tag. */
export function outcomeOf(status: number): string {
  if (status >= 100 && status < 200) return 'INFORMATIONAL';
  if (status >= 200 && status < 300) return 'SUCCESS';
  if (status >= 300 && status < 400) return 'REDIRECTION';
  if (status >= 400 && status < 500) return 'CLIENT_ERROR';
  if (status >= 500 && status < 600) return 'SERVER_ERROR';
  return 'UNKNOWN';
}

/**
 * Spring's `uri` tag: the route template (`/tasks/{chainTaskId}/logs` for Fastify's
 * `/tasks/:chainTaskId/logs`), never the raw path, so that ids do not explode the series;
 * a request no route matched is `NOT_FOUND` (404), `REDIRECTION` (3xx) or `UNKNOWN`.
 */
export function uriTemplateOf(routeUrl: string | undefined, status: number): string {
  if (routeUrl === undefined || routeUrl === '' || routeUrl === '*' || routeUrl === '/*') {
    if (status === 404) return 'NOT_FOUND';
    if (status >= 300 && status < 400) return 'REDIRECTION';
    return 'UNKNOWN';
  }
  if (routeUrl === '/') return 'root';
  return routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The labels of one answered request. */
export function httpServerLabels(
  method: string,
  routeUrl: string | undefined,
  status: number,
  exception: string | undefined,
): Record<(typeof HTTP_SERVER_LABELS)[number], string> {
  return {
    method,
    uri: uriTemplateOf(routeUrl, status),
    status: String(status),
    outcome: outcomeOf(status),
    exception: exception ?? 'none',
  };
}
