import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { buildInfo } from './build-info.js';
import { HealthContributors } from './health-contributors.js';
import { groupHealth, isProbeGroup } from './health-groups.js';
import { healthHttpStatus } from './health-status.js';
import { ApiEmptyAnswers, ApiJsonAnswer, ApiTextAnswer } from '../openapi/api-answers.js';

/** Spring-Boot-compatible actuator endpoints, exposed per IEXEC_CORE_MANAGEMENT_ACTUATORS. */
@Controller('actuator')
export class ActuatorController {
  constructor(
    private readonly config: AppConfig,
    private readonly contributors: HealthContributors,
  ) {}

  @ApiJsonAnswer(200, 'UP')
  @ApiJsonAnswer(503, 'DOWN or OUT_OF_SERVICE')
  @ApiEmptyAnswers({ 404: 'Actuator not exposed' })
  @Get('health')
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    this.requireExposed('health');
    const answer = groupHealth(await this.contributors.checkAll());
    reply.status(healthHttpStatus(answer.status));
    return answer;
  }

  /** A probe group (`liveness`, `readiness`) or one component of the main health (`mongo`). */
  @ApiJsonAnswer(200, 'The probe group (liveness, readiness) or component is UP')
  @ApiJsonAnswer(503, 'DOWN or OUT_OF_SERVICE')
  @ApiEmptyAnswers({ 404: 'Unknown group or component, or actuator not exposed' })
  @Get('health/:name')
  async healthPart(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply) {
    this.requireExposed('health');
    if (isProbeGroup(name)) {
      const answer = groupHealth(await this.contributors.checkGroup(name));
      reply.status(healthHttpStatus(answer.status));
      return answer;
    }
    const component = (await this.contributors.checkAll())[name];
    if (!component) throw new EmptyResponseException(404);
    reply.status(healthHttpStatus(component.status));
    return component;
  }

  @ApiJsonAnswer(200, 'Build and compatibility information')
  @ApiEmptyAnswers({ 404: 'Actuator not exposed' })
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
  @ApiTextAnswer(200, 'The scheduler version')
  @Get('version')
  @Header('content-type', 'text/plain;charset=UTF-8')
  version(): string {
    return buildInfo().version;
  }
}
