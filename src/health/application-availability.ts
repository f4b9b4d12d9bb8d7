import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { HealthContributors } from './health-contributors.js';
import {
  LivenessState,
  livenessStateHealth,
  ReadinessState,
  readinessStateHealth,
} from './health-groups.js';

/**
 * Spring's ApplicationAvailability: the process' own liveness and readiness, shown as the
 * `livenessState` and `readinessState` components of the probe groups. Ready once started,
 * refusing traffic from the start of a graceful shutdown.
 */
@Injectable()
export class ApplicationAvailability implements OnModuleInit, OnApplicationBootstrap {
  private liveness: LivenessState = 'CORRECT';
  private readiness: ReadinessState = 'REFUSING_TRAFFIC';
  private shuttingDown = false;

  constructor(private readonly contributors: HealthContributors) {}

  onModuleInit(): void {
    this.contributors.register('livenessState', () => livenessStateHealth(this.liveness), {
      main: false,
      groups: ['liveness'],
    });
    this.contributors.register('readinessState', () => readinessStateHealth(this.readiness), {
      main: false,
      groups: ['readiness'],
    });
  }

  onApplicationBootstrap(): void {
    if (this.liveness === 'CORRECT') this.readiness = 'ACCEPTING_TRAFFIC';
  }

  /** Readiness OUT_OF_SERVICE (liveness unchanged): called when a graceful shutdown starts. */
  refuseTraffic(): void {
    this.readiness = 'REFUSING_TRAFFIC';
    this.shuttingDown = true;
  }

  /** A graceful shutdown has started: long polls answer now instead of outlasting the drain. */
  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  get readinessState(): ReadinessState {
    return this.readiness;
  }
}
