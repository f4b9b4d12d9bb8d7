import { HealthContributors } from '../../src/health/health-contributors.js';
import {
  groupHealth,
  livenessStateHealth,
  membersOf,
  readinessStateHealth,
} from '../../src/health/health-groups.js';
import { healthHttpStatus } from '../../src/health/health-status.js';

describe('probe groups', () => {
  it('maps the availability states as Spring Boot does', () => {
    expect(livenessStateHealth('CORRECT')).toEqual({ status: 'UP' });
    expect(livenessStateHealth('BROKEN')).toEqual({ status: 'DOWN' });
    expect(readinessStateHealth('ACCEPTING_TRAFFIC')).toEqual({ status: 'UP' });
    expect(readinessStateHealth('REFUSING_TRAFFIC')).toEqual({ status: 'OUT_OF_SERVICE' });
  });

  it('takes the members of each group, the main endpoint apart', () => {
    const memberships: [string, { main: boolean; groups: ('liveness' | 'readiness')[] }][] = [
      ['mongo', { main: true, groups: ['readiness'] }],
      ['livenessState', { main: false, groups: ['liveness'] }],
      ['readinessState', { main: false, groups: ['readiness'] }],
      ['diskSpace', { main: true, groups: [] }],
    ];
    expect(membersOf(memberships, 'main')).toEqual(['diskSpace', 'mongo']);
    expect(membersOf(memberships, 'liveness')).toEqual(['livenessState']);
    expect(membersOf(memberships, 'readiness')).toEqual(['mongo', 'readinessState']);
  });

  it('answers a group with the worst status of its components', () => {
    const answer = groupHealth({
      readinessState: { status: 'UP' },
      blockchainConnection: { status: 'OUT_OF_SERVICE' },
    });
    expect(answer.status).toBe('OUT_OF_SERVICE');
    expect(healthHttpStatus(answer.status)).toBe(503);
  });
});

describe('HealthContributors groups', () => {
  function contributors() {
    const c = new HealthContributors();
    c.register('livenessState', () => livenessStateHealth('CORRECT'), {
      main: false,
      groups: ['liveness'],
    });
    c.register('readinessState', () => readinessStateHealth('ACCEPTING_TRAFFIC'), {
      main: false,
      groups: ['readiness'],
    });
    c.register('blockchainConnection', () => ({ status: 'OUT_OF_SERVICE' }), {
      groups: ['readiness'],
    });
    c.register('ping', () => ({ status: 'UP' }));
    return c;
  }

  it('a chain incident: main health and readiness OUT_OF_SERVICE, liveness still UP', async () => {
    const c = contributors();
    expect(groupHealth(await c.checkAll()).status).toBe('OUT_OF_SERVICE');
    expect(Object.keys(await c.checkAll())).toEqual(['blockchainConnection', 'ping']);
    expect(groupHealth(await c.checkGroup('readiness')).status).toBe('OUT_OF_SERVICE');
    expect(groupHealth(await c.checkGroup('liveness'))).toEqual({
      status: 'UP',
      components: { livenessState: { status: 'UP' } },
    });
  });

  it('composes readiness from any contributor that joins it (a standby replica)', async () => {
    const c = new HealthContributors();
    c.register('readinessState', () => readinessStateHealth('ACCEPTING_TRAFFIC'), {
      main: false,
      groups: ['readiness'],
    });
    c.register('livenessState', () => livenessStateHealth('CORRECT'), {
      main: false,
      groups: ['liveness'],
    });
    c.register('leadership', () => ({ status: 'OUT_OF_SERVICE', details: { role: 'standby' } }), {
      groups: ['readiness'],
    });
    expect(groupHealth(await c.checkGroup('readiness')).status).toBe('OUT_OF_SERVICE');
    expect(groupHealth(await c.checkGroup('liveness')).status).toBe('UP');
  });

  it('a contributor that throws is DOWN with its error', async () => {
    const c = new HealthContributors();
    c.register(
      'mongo',
      () => {
        throw new Error('no socket');
      },
      { groups: ['readiness'] },
    );
    expect(await c.checkGroup('readiness')).toEqual({
      mongo: { status: 'DOWN', details: { error: 'no socket' } },
    });
  });
});
