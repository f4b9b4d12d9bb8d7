/**
 * Actuator endpoint ids as Spring Boot 3 reads `management.endpoints.web.exposure.include`
 * (IEXEC_CORE_MANAGEMENT_ACTUATORS): the Java scheduler accepts any well-formed id and exposes
 * those it has; we serve fewer, so the others are ignored with a WARN instead of a refused boot.
 */

/** The ids this scheduler serves under /actuator. */
export const SERVED_ACTUATORS = ['health', 'info', 'prometheus', 'metrics'] as const;

/** Spring Boot 3 endpoint ids: accepted like the Java scheduler does, not served here. */
const SPRING_ONLY_ACTUATORS = [
  'auditevents',
  'beans',
  'caches',
  'conditions',
  'configprops',
  'env',
  'flyway',
  'heapdump',
  'httpexchanges',
  'integrationgraph',
  'liquibase',
  'logfile',
  'loggers',
  'mappings',
  'quartz',
  'sbom',
  'scheduledtasks',
  'sessions',
  'shutdown',
  'startup',
  'threaddump',
];

/** Spring's EndpointId syntax once dashes are dropped: letters, digits, dots, not digit-first. */
const ENDPOINT_ID = /^[a-zA-Z.][a-zA-Z0-9.]*$/;

/** Spring's EndpointId comparison key: dashes dropped, then lower-case alphanumerics. */
export function endpointKey(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when Spring Boot would accept `value` in the exposure list (`*` or an endpoint id). */
export function isActuatorId(value: string): boolean {
  return value === '*' || ENDPOINT_ID.test(value.replaceAll('-', ''));
}

/** The listed ids this scheduler does not serve (Spring-only or unknown), for the boot WARN. */
export function ignoredActuators(listed: readonly string[]): string[] {
  const served = new Set<string>(SERVED_ACTUATORS);
  return listed.filter((id) => id !== '*' && !served.has(endpointKey(id)));
}

/** The boot WARN naming ignored ids, none when every listed id is served. */
export function actuatorWarnings(listed: readonly string[]): string[] {
  const ignored = ignoredActuators(listed);
  if (ignored.length === 0) return [];
  const spring = new Set(SPRING_ONLY_ACTUATORS);
  const described = ignored.map((id) =>
    spring.has(endpointKey(id))
      ? `${id} (a Spring Boot endpoint not served here)`
      : `${id} (unknown)`,
  );
  return [
    `IEXEC_CORE_MANAGEMENT_ACTUATORS: ignored ${described.join(', ')}; served: ${SERVED_ACTUATORS.join(', ')}`,
  ];
}

/** Whether the exposure list exposes `endpoint` (`*` exposes every one). */
export function exposes(listed: readonly string[], endpoint: string): boolean {
  const key = endpointKey(endpoint);
  return listed.some((id) => id === '*' || endpointKey(id) === key);
}
