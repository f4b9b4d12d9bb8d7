import { Global, Injectable, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { OperationMeters } from './operation-meters.js';

/**
 * The Prometheus registry of `/actuator/prometheus` and the meters every layer feeds (HTTP
 * server, chain client, database driver). A module of its own with no imports, so that the
 * chain and database modules can inject it without a cycle through MetricsModule.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  readonly operations = new OperationMeters(this.registry);
}

@Global()
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
export class MetricsRegistryModule {}
