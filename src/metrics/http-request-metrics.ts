import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { exceptionOf, observeResponses } from '../common/http/response-observers.js';
import { MetricsRegistry } from './metrics-registry.js';

/** Feeds `http_server_requests_seconds` from every answered request. */
@Injectable()
export class HttpRequestMetrics implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance();
    if (!fastify) return;
    observeResponses(fastify, (request, reply) =>
      this.metrics.operations.observeHttpRequest(
        request.method,
        request.routeOptions.url,
        reply.statusCode,
        exceptionOf(request),
        reply.elapsedTime / 1000,
      ),
    );
  }
}
