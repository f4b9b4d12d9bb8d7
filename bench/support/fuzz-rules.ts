// What the API fuzz (bench/fuzz-api.ts) accepts, and what it compares.

/** Collections the fuzzing must leave exactly as they were (issue 18 §4). */
export const UNCHANGED_COLLECTIONS = ['task', 'replicatesList'] as const;

/** Schemathesis checks: a 5xx is a failure; the conformance checks are reported, not fatal. */
export const FATAL_CHECKS = ['not_a_server_error'];

/**
 * Fewest requests the fuzzing must reach the scheduler with (runs send 5,000–5,900): a run the
 * tool cut short with errors of its own is no pass.
 */
export const MIN_FUZZ_REQUESTS = 1500;

/**
 * Operations left out, with the reason. Empty: every documented route is fuzzed, the guarded ones
 * with a valid worker JWT or the admin token.
 */
export const EXCLUDED_OPERATIONS: { method: string; path: string; why: string }[] = [];

/** `http_server_requests_seconds_count` lines of /actuator/prometheus: requests by status. */
export function requestsByStatus(prometheus: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const line of prometheus.split('\n')) {
    if (!line.startsWith('http_server_requests_seconds_count{')) continue;
    const status = /status="(\d+)"/.exec(line)?.[1];
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (status === undefined || !Number.isFinite(value)) continue;
    counts.set(Number(status), (counts.get(Number(status)) ?? 0) + value);
  }
  return counts;
}

/** Requests per status between two readings. */
export function countsSince(
  before: Map<number, number>,
  after: Map<number, number>,
): Map<number, number> {
  const delta = new Map<number, number>();
  for (const [status, n] of after) {
    const d = n - (before.get(status) ?? 0);
    if (d > 0) delta.set(status, d);
  }
  return new Map([...delta].sort(([a], [b]) => a - b));
}

/**
 * Schemathesis closes with pytest's banner ("=== 3 warnings in 60.00s ==="), which log readers
 * take for a pytest run that ran no test; the words are kept, the banner is not.
 */
export function withoutBanner(line: string): string {
  const banner = /^=+ (.+?) =+$/.exec(line.trim());
  return banner ? `-- schemathesis: ${banner[1]}` : line;
}
