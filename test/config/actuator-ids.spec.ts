import { actuatorWarnings, ignoredActuators, isActuatorId } from '../../src/config/actuator-ids.js';

describe('actuator ids', () => {
  it('accepts what Spring Boot accepts: *, ids with letters, digits, dots and dashes', () => {
    for (const id of ['*', 'health', 'threaddump', 'thread-dump', 'Prometheus', 'my.endpoint'])
      expect(isActuatorId(id)).toBe(true);
    for (const id of ['1health', 'he alth', 'env/x', '-']) expect(isActuatorId(id)).toBe(false);
  });

  it('ignores the ids it does not serve, Spring ones and unknown ones', () => {
    expect(ignoredActuators(['health', 'INFO', '*', 'env', 'thread-dump', 'nope'])).toEqual([
      'env',
      'thread-dump',
      'nope',
    ]);
  });

  it('names every ignored id in one WARN, and says nothing when all are served', () => {
    expect(actuatorWarnings(['health', 'metrics', '*'])).toEqual([]);
    const [warning] = actuatorWarnings(['health', 'env', 'nope']);
    expect(warning).toContain('env (a Spring Boot endpoint not served here)');
    expect(warning).toContain('nope (unknown)');
  });
});
