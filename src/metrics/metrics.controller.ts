import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { AppConfig } from '../config/app-config.js';
import type { PlatformMetric } from './platform-metric.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** M1 (worker-api.md §9.4), unauthenticated. */
  @Get('metrics')
  platformMetric(): PlatformMetric {
    return this.metrics.platformMetric();
  }

  /** Exposed only when IEXEC_CORE_MANAGEMENT_ACTUATORS lists `prometheus` (or `*`). */
  @Get('actuator/prometheus')
  async prometheus(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.config.isActuatorExposed('prometheus')) throw new EmptyResponseException(404);
    const body = await this.metrics.prometheus();
    reply.header('content-type', this.metrics.prometheusContentType);
    return body;
  }
}
