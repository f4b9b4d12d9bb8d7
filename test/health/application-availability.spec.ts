import { ApplicationAvailability } from '../../src/health/application-availability.js';
import { HealthContributors } from '../../src/health/health-contributors.js';
import { groupHealth } from '../../src/health/health-groups.js';
import { healthHttpStatus } from '../../src/health/health-status.js';

// Readiness while a graceful shutdown drains (issue 18 §5): not ready, still live.
describe('ApplicationAvailability', () => {
  async function probes(contributors: HealthContributors) {
    const readiness = groupHealth(await contributors.checkGroup('readiness'));
    const liveness = groupHealth(await contributors.checkGroup('liveness'));
    return {
      readiness: [readiness.status, healthHttpStatus(readiness.status)],
      liveness: [liveness.status, healthHttpStatus(liveness.status)],
    };
  }

  it('is ready once started, and not ready but live from the start of a shutdown', async () => {
    const contributors = new HealthContributors();
    const availability = new ApplicationAvailability(contributors);
    availability.onModuleInit();
    expect(await probes(contributors)).toEqual({
      readiness: ['OUT_OF_SERVICE', 503],
      liveness: ['UP', 200],
    });

    availability.onApplicationBootstrap();
    expect(await probes(contributors)).toEqual({ readiness: ['UP', 200], liveness: ['UP', 200] });
    expect(availability.isShuttingDown).toBe(false);

    availability.refuseTraffic();
    expect(await probes(contributors)).toEqual({
      readiness: ['OUT_OF_SERVICE', 503],
      liveness: ['UP', 200],
    });
    expect(availability.readinessState).toBe('REFUSING_TRAFFIC');
    expect(availability.isShuttingDown).toBe(true);
  });
});
