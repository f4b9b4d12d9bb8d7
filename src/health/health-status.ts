/** Spring Boot health statuses, ordered from worst to best for aggregation. */
export type HealthStatus = 'DOWN' | 'OUT_OF_SERVICE' | 'UP' | 'UNKNOWN';

const SEVERITY: readonly HealthStatus[] = ['DOWN', 'OUT_OF_SERVICE', 'UP', 'UNKNOWN'];

export interface ComponentHealth {
  status: HealthStatus;
  details?: Record<string, unknown>;
}

/** Worst status wins (DOWN > OUT_OF_SERVICE > UP > UNKNOWN); no component at all is UNKNOWN. */
export function aggregateHealth(components: Iterable<ComponentHealth>): HealthStatus {
  let worst = SEVERITY.length - 1;
  for (const c of components) worst = Math.min(worst, SEVERITY.indexOf(c.status));
  return SEVERITY[worst];
}

/** HTTP status of the health endpoint: 503 for DOWN and OUT_OF_SERVICE, 200 otherwise. */
export function healthHttpStatus(status: HealthStatus): number {
  return status === 'DOWN' || status === 'OUT_OF_SERVICE' ? 503 : 200;
}
