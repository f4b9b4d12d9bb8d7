import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ComputeLogsModule } from '../logs/compute-logs.module.js';
import { ResultModule } from '../result/result.module.js';
import { TaskModule } from '../task/task.module.js';
import { WorkerJwtMiddleware } from '../worker/auth/worker-jwt.middleware.js';
import { WorkerModule } from '../worker/worker.module.js';
import { ClaimVerifier } from './claim-verifier.js';
import { ReplicateDetectors } from './replicate-detectors.service.js';
import { ReplicateListeners } from './replicate-listeners.js';
import { ReplicateLocks } from './replicate-locks.js';
import { ReplicateRecoveryService } from './replicate-recovery.service.js';
import { ReplicateStatusService } from './replicate-status.service.js';
import { ReplicateSupplyService } from './replicate-supply.service.js';
import { ReplicatesController } from './replicates.controller.js';
import { ReplicatesListRepository } from './replicates-list.repository.js';
import { ReplicatesList, ReplicatesListSchema } from './replicates-list.schema.js';
import { UnnotifiedScanTrigger } from './unnotified-scan-trigger.js';
import { WorkerRecoveries } from './worker-recoveries.js';

/** Replicates: supply (R1), recovery (R2), status updates (R3), and the replicate detectors. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: ReplicatesList.name, schema: ReplicatesListSchema }]),
    TaskModule,
    WorkerModule,
    ComputeLogsModule,
    ResultModule,
  ],
  controllers: [ReplicatesController],
  providers: [
    ReplicatesListRepository,
    ReplicateLocks,
    ClaimVerifier,
    UnnotifiedScanTrigger,
    ReplicateListeners,
    ReplicateStatusService,
    ReplicateSupplyService,
    ReplicateRecoveryService,
    WorkerRecoveries,
    ReplicateDetectors,
  ],
  exports: [ReplicatesListRepository, ReplicateStatusService, ReplicateLocks],
})
export class ReplicateModule implements NestModule {
  // Every replicate route is guarded: a caller without a token is refused before its body is read.
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(WorkerJwtMiddleware).forRoutes(ReplicatesController);
  }
}
