import { BadRequestException, Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EmptyResponseException } from '../common/http/empty-response.exception.js';
import { AppConfig } from '../config/app-config.js';
import type { PlatformMetric } from './platform-metric.js';
import { MetricsService } from './metrics.service.js';
import {
  MetricDetail,
  metricDetail,
  metricNames,
  parseTagFilters,
  RegistryMetric,
} from './actuator-metrics.js';
import { ApiEmptyAnswers, ApiJsonAnswer, ApiTextAnswer } from '../openapi/api-answers.js';

@Controller()
export class MetricsController {
  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** M1 (worker-api.md §9.4), unauthenticated. */
  @ApiJsonAnswer(200, 'Platform metric (M1)')
  @Get('metrics')
  platformMetric(): PlatformMetric {
    return this.metrics.platformMetric();
  }

  /** Exposed only when IEXEC_CORE_MANAGEMENT_ACTUATORS lists `prometheus` (or `*`). */
  @ApiTextAnswer(200, 'Prometheus exposition format')
  @ApiEmptyAnswers({ 404: 'Actuator not exposed' })
  @Get('actuator/prometheus')
  async prometheus(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!this.config.isActuatorExposed('prometheus')) throw new EmptyResponseException(404);
    const body = await this.metrics.prometheus();
    reply.header('content-type', this.metrics.prometheusContentType);
    return body;
  }

  /** Spring's `/actuator/metrics`, when IEXEC_CORE_MANAGEMENT_ACTUATORS lists `metrics` (or `*`). */
  @ApiJsonAnswer(200, 'Metric names')
  @ApiEmptyAnswers({ 404: 'Actuator not exposed' })
  @Get('actuator/metrics')
  async names(): Promise<{ names: string[] }> {
    if (!this.config.isActuatorExposed('metrics')) throw new EmptyResponseException(404);
    return metricNames(await this.registryMetrics());
  }

  @ApiJsonAnswer(200, 'Measurements of the metric')
  @ApiJsonAnswer(400, '`tag` is not key:value')
  @ApiEmptyAnswers({ 404: 'Unknown metric, or actuator not exposed' })
  @Get('actuator/metrics/:name')
  async metric(
    @Param('name') name: string,
    @Query('tag') tag?: string | string[],
  ): Promise<MetricDetail> {
    if (!this.config.isActuatorExposed('metrics')) throw new EmptyResponseException(404);
    const filters = parseTagFilters(tag);
    if (!filters) throw new BadRequestException('tag must be key:value, e.g. tag=method:GET');
    const detail = metricDetail(await this.registryMetrics(), name, filters);
    if (!detail) throw new EmptyResponseException(404);
    return detail;
  }

  private async registryMetrics(): Promise<RegistryMetric[]> {
    return (await this.metrics.registryMetrics()) as RegistryMetric[];
  }
}
