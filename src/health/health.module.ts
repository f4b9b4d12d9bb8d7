import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ActuatorController, VersionController } from './actuator.controller.js';
import { ApplicationAvailability } from './application-availability.js';
import { CoreHealthIndicators } from './core-health.indicators.js';
import { HealthContributors } from './health-contributors.js';
import { LeadershipHealth } from '../leadership/leadership-health.js';

@Global()
@Module({
  imports: [TerminusModule],
  controllers: [ActuatorController, VersionController],
  providers: [HealthContributors, CoreHealthIndicators, ApplicationAvailability, LeadershipHealth],
  exports: [HealthContributors, ApplicationAvailability],
})
export class HealthModule {}
