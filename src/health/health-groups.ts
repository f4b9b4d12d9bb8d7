import { aggregateHealth, ComponentHealth, HealthStatus } from './health-status.js';

/**
 * Spring Boot's probe groups (`/actuator/health/liveness`, `/actuator/health/readiness`).
 * Liveness answers "should this process be restarted?": only the process' own state, never a
 * dependency (a chain incident must not get the container restarted). Readiness answers
 * "should it get traffic?": its own state plus the contributors that join the group (the chain
 * and the database here; a leadership contributor makes a standby replica not ready, still live).
 */
export const PROBE_GROUPS = ['liveness', 'readiness'] as const;
export type ProbeGroup = (typeof PROBE_GROUPS)[number];

export type LivenessState = 'CORRECT' | 'BROKEN';
export type ReadinessState = 'ACCEPTING_TRAFFIC' | 'REFUSING_TRAFFIC';

export interface HealthAnswer {
  status: HealthStatus;
  components: Record<string, ComponentHealth>;
}

/** Spring's `livenessState` component. */
export function livenessStateHealth(state: LivenessState): ComponentHealth {
  return { status: state === 'CORRECT' ? 'UP' : 'DOWN' };
}

/** Spring's `readinessState` component: refusing traffic is OUT_OF_SERVICE, not DOWN. */
export function readinessStateHealth(state: ReadinessState): ComponentHealth {
  return { status: state === 'ACCEPTING_TRAFFIC' ? 'UP' : 'OUT_OF_SERVICE' };
}

export function isProbeGroup(name: string): name is ProbeGroup {
  return (PROBE_GROUPS as readonly string[]).includes(name);
}

/** Where a contributor's component shows: the main `/actuator/health`, probe groups. */
export interface Membership {
  main: boolean;
  groups: readonly ProbeGroup[];
}

/** The names of the contributors answering `group` (`main`: the main health endpoint). */
export function membersOf(
  memberships: Iterable<[string, Membership]>,
  group: ProbeGroup | 'main',
): string[] {
  const names: string[] = [];
  for (const [name, m] of memberships)
    if (group === 'main' ? m.main : m.groups.includes(group)) names.push(name);
  return names.sort((a, b) => a.localeCompare(b));
}

/** A group's answer: the worst status of its components (each member's own answer). */
export function groupHealth(components: Record<string, ComponentHealth>): HealthAnswer {
  return { status: aggregateHealth(Object.values(components)), components };
}
