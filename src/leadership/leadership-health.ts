import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthContributors } from '../health/health-contributors.js';
import type { ComponentHealth } from '../health/health-status.js';
import type { LeaseKeeper } from './lease-keeper.js';
import { fencedKeeper } from './write-fence.js';

/** The `leadership` component: UP while this process is certain of its lease. */
export function leadershipHealth(keeper: LeaseKeeper): ComponentHealth {
  return {
    status: keeper.isCertain() ? 'UP' : 'OUT_OF_SERVICE',
    details: { role: keeper.role, holder: keeper.holder, leaseVersion: keeper.leaseVersion },
  };
}

/**
 * Shows the role in `/actuator/health` and keeps readiness down once the lease is not certain.
 * Registered only in a process that runs the lease (main.ts installs the fence before the app
 * is created); in-process tests have no lease and no such component.
 */
@Injectable()
export class LeadershipHealth implements OnModuleInit {
  constructor(private readonly contributors: HealthContributors) {}

  onModuleInit(): void {
    const keeper = fencedKeeper();
    if (!keeper) return;
    this.contributors.register('leadership', () => leadershipHealth(keeper), {
      groups: ['readiness'],
    });
  }
}
