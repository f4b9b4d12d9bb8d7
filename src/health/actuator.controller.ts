import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { buildInfo } from './build-info.js';
import { HealthContributors } from './health-contributors.js';
import { aggregateHealth, healthHttpStatus } from './health-status.js';

/** Spring-Boot-compatible actuator endpoints, exposed per IEXEC_CORE_MANAGEMENT_ACTUATORS. */
@Controller('actuator')
export class ActuatorController {
  constructor(
    private readonly config: AppConfig,
    private readonly contributors: HealthContributors,
  ) {}

  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    this.requireExposed('health');
    const components = await this.contributors.checkAll();
    const status = aggregateHealth(Object.values(components));
    reply.status(healthHttpStatus(status));
    return { status, components };
  }

  @Get('info')
  info() {
    this.requireExposed('info');
    const { artifact, name, time, version, group } = buildInfo();
    return {
      build: { artifact, name, time, version, group },
      compatibility: { iexecCore: this.config.compatibleJavaVersion },
    };
  }

  private requireExposed(endpoint: string): void {
    if (!this.config.isActuatorExposed(endpoint)) throw new EmptyResponseException(404);
  }
}

@Controller()
export class VersionController {
  @Get('version')
  @Header('content-type', 'text/plain;charset=UTF-8')
  version(): string {
    return buildInfo().version;
  }
}
