import { Injectable } from '@nestjs/common';
import { ComponentHealth } from './health-status.js';

export type HealthContributor = () => Promise<ComponentHealth> | ComponentHealth;

/** Modules register the components of `/actuator/health` here (mongo, diskSpace, ping, blockchainConnection…). */
@Injectable()
export class HealthContributors {
  private readonly contributors = new Map<string, HealthContributor>();

  register(name: string, contributor: HealthContributor): void {
    this.contributors.set(name, contributor);
  }

  async checkAll(): Promise<Record<string, ComponentHealth>> {
    const entries = await Promise.all(
      [...this.contributors].map(async ([name, check]): Promise<[string, ComponentHealth]> => {
        try {
          return [name, await check()];
        } catch (error) {
          return [
            name,
            { status: 'DOWN', details: { error: String((error as Error).message ?? error) } },
          ];
        }
      }),
    );
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
  }
}
