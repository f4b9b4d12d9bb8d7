import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { WorkerAuthService } from './auth/worker-auth.service.js';
import { WorkerJwtGuard } from './auth/worker-jwt.guard.js';
import { WorkerJwtMiddleware } from './auth/worker-jwt.middleware.js';
import { PublicConfigurationService } from './public-configuration.service.js';
import { WorkerController } from './worker.controller.js';
import { WorkerLivenessService } from './worker-liveness.service.js';
import { WorkerRepository } from './worker.repository.js';
import { Worker, WorkerSchema } from './worker.schema.js';
import { WorkerService } from './worker.service.js';
import { WORKER_FIGURES_SOURCE } from '../metrics/worker-figures.js';

/**
 * Worker authentication (challenge, login, JWT guard), registry, liveness and the `/workers`
 * endpoints. Needs the global AppConfig, ChainContext (wallet and JWT secret; no chain access)
 * and JobScheduler. Modules with worker-authenticated routes import it for
 * `@UseGuards(WorkerJwtGuard)` and `@AuthenticatedWallet()`.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Worker.name, schema: WorkerSchema }])],
  controllers: [WorkerController],
  providers: [
    WorkerRepository,
    WorkerAuthService,
    WorkerJwtGuard,
    WorkerJwtMiddleware,
    WorkerLivenessService,
    WorkerService,
    PublicConfigurationService,
    // The alive-worker figures of /metrics and of the Prometheus worker gauges.
    {
      provide: WORKER_FIGURES_SOURCE,
      inject: [WorkerService],
      useFactory: (workers: WorkerService) => ({ workerFigures: () => workers.aliveMetrics() }),
    },
  ],
  exports: [
    WORKER_FIGURES_SOURCE,
    WorkerRepository,
    WorkerAuthService,
    WorkerJwtGuard,
    WorkerJwtMiddleware,
    WorkerService,
    PublicConfigurationService,
  ],
})
export class WorkerModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(WorkerJwtMiddleware)
      .forRoutes({ path: 'workers/register', method: RequestMethod.POST });
  }
}
