import { Injectable } from '@nestjs/common';
import { membersOf, Membership, ProbeGroup } from './health-groups.js';
import { ComponentHealth } from './health-status.js';

export type HealthContributor = () => Promise<ComponentHealth> | ComponentHealth;

export interface ContributorOptions {
  /** Probe groups the component joins (none by default: main health only). */
  groups?: readonly ProbeGroup[];
  /** Whether it shows in the main `/actuator/health` (true by default). */
  main?: boolean;
}

/**
 * Modules register the components of `/actuator/health` here (mongo, diskSpace, ping,
 * blockchainConnection…), each saying which probe groups it joins.
 */
@Injectable()
export class HealthContributors {
  private readonly contributors = new Map<string, HealthContributor>();
  private readonly memberships = new Map<string, Membership>();

  register(name: string, contributor: HealthContributor, options: ContributorOptions = {}): void {
    this.contributors.set(name, contributor);
    this.memberships.set(name, { main: options.main ?? true, groups: options.groups ?? [] });
  }

  /** The main health endpoint's components. */
  checkAll(): Promise<Record<string, ComponentHealth>> {
    return this.check(membersOf(this.memberships, 'main'));
  }

  /** The components of one probe group. */
  checkGroup(group: ProbeGroup): Promise<Record<string, ComponentHealth>> {
    return this.check(membersOf(this.memberships, group));
  }

  private async check(names: string[]): Promise<Record<string, ComponentHealth>> {
    const entries = await Promise.all(
      names.map(async (name): Promise<[string, ComponentHealth]> => {
        try {
          return [name, await this.contributors.get(name)!()];
        } catch (error) {
          return [
            name,
            { status: 'DOWN', details: { error: String((error as Error).message ?? error) } },
          ];
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}
