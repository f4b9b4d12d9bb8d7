import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { SockJsEndpoint } from './sockjs-endpoint.js';
import { StompBroker } from './stomp/stomp-broker.js';

/**
 * Serves the SockJS endpoint on the application's HTTP server. Installed at bootstrap (the
 * server exists, nothing listens yet); sessions are closed *before* the HTTP server closes,
 * otherwise its open streaming responses would hold `server.close()` back.
 */
@Injectable()
export class PushChannelService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('PushChannel');
  private endpoint?: SockJsEndpoint;

  constructor(
    // Explicit tokens: also works where no decorator metadata is emitted (tsx).
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(StompBroker) private readonly broker: StompBroker,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) {
      this.logger.warn('No HTTP server: push channel (/connect) not served');
      return;
    }
    this.endpoint = new SockJsEndpoint(this.broker, {
      // Per-request lines and client mistakes stay at debug; only exceptions inside sockjs surface.
      log: (severity, line) =>
        severity === 'error' && line.startsWith('Exception')
          ? this.logger.warn(line)
          : this.logger.debug(line),
    });
    this.endpoint.install(server);
  }

  beforeApplicationShutdown(): void {
    this.endpoint?.close();
  }
}
