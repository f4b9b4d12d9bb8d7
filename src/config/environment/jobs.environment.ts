import { EnvVar } from '../env-var.decorator.js';
import { IsIntBetween, IsNonNegativeInt, IsPositiveInt } from '../validators.js';

const GROUPS = {
  ops: 'Operations',
  cron: 'Detectors and jobs (periods in ms)',
} as const;

/** Periodic jobs: the logs purge, the task update concurrency and every detector period. */
export class JobsEnvironment {
  // --- Operations ----------------------------------------------------------------------------
  @EnvVar({
    group: GROUPS.ops,
    kind: 'int',
    default: '1',
    property: 'logs.purge-rate-in-days',
    description: 'Compute logs purge period (days).',
  })
  @IsPositiveInt('a positive number of days')
  IEXEC_LOGS_PURGE_RATE_IN_DAYS!: number;

  @EnvVar({
    group: GROUPS.ops,
    kind: 'int',
    default: '3',
    property: 'logs.availability-period-in-days',
    description: 'Days compute logs are kept after the task final deadline.',
  })
  @IsNonNegativeInt('a number of days (integer >= 0)')
  IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS!: number;

  @EnvVar({
    group: GROUPS.ops,
    kind: 'int',
    default: '32',
    extension: true,
    description: 'Task updates running at the same time (one per task).',
  })
  @IsPositiveInt()
  IEXEC_TASK_UPDATE_CONCURRENCY!: number;

  @EnvVar({
    group: GROUPS.ops,
    kind: 'int',
    default: '2',
    extension: true,
    description:
      "Blocks our node must be past a CONTRIBUTED/REVEALED receipt's block before a contribution absent from the chain refuses the claim; a claim not yet visible is held, never refused.",
  })
  @IsNonNegativeInt()
  IEXEC_CLAIM_CONFIRMATION_BLOCKS!: number;

  @EnvVar({
    group: GROUPS.ops,
    kind: 'int',
    default: '45000',
    extension: true,
    description:
      "Longest hold (ms) of a status update whose claim is not yet visible on our node, then 503 and the worker posts again; below the worker's 60 s read timeout.",
  })
  @IsIntBetween(100, 55000, 'a number of milliseconds')
  IEXEC_CLAIM_HOLD_MS!: number;

  // --- Detectors and jobs (application.yml properties, Spring relaxed-binding names) --------
  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '20000',
    property: 'cron.metrics.refresh.period',
    description: 'Worker gauges refresh.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_METRICS_REFRESH_PERIOD!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '60000',
    property: 'cron.deal.replay',
    description: 'Deal replay: re-reads the last window of blocks already scanned (safety net).',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DEAL_REPLAY!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_WORKER_LOST'],
    property: 'cron.detector.worker-lost',
    description: 'WorkerLostDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_WORKERLOST!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '300000',
    aliases: ['CRON_DETECTOR_CHAIN_UNSTARTED_TX'],
    property: 'cron.detector.chain.unstarted-tx',
    description: 'UnstartedTxDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_UNSTARTEDTX!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.initialize',
    description: 'InitializedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_INITIALIZE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.contribute',
    description: 'ContributionTimeoutTaskDetector, ContributionUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONTRIBUTE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_CONSENSUS_REACHED'],
    property: 'cron.detector.chain.consensus-reached',
    description: 'ConsensusReachedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONSENSUSREACHED!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.reveal',
    description: 'RevealUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_REVEAL!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_CONTRIBUTE_AND_FINALIZE'],
    property: 'cron.detector.chain.contribute-and-finalize',
    description: 'ContributionAndFinalizationUnnotifiedDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_CONTRIBUTEANDFINALIZE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    property: 'cron.detector.chain.finalize',
    description: 'FinalizedTaskDetector, ReopenedTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_FINALIZE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_CHAIN_FINAL_DEADLINE'],
    property: 'cron.detector.chain.final-deadline',
    description: 'FinalDeadlineTaskDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_CHAIN_FINALDEADLINE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '120000',
    property: 'cron.detector.timeout.contribute',
    description: 'Accepted for compatibility; unused (as in Java).',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_TIMEOUT_CONTRIBUTE!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '120000',
    aliases: ['CRON_DETECTOR_TIMEOUT_REVEAL'],
    property: 'cron.detector.timeout.reveal',
    description: 'RevealTimeoutDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  REVEAL_TIMEOUT_PERIOD!: number;

  @EnvVar({
    group: GROUPS.cron,
    kind: 'int',
    default: '30000',
    aliases: ['CRON_DETECTOR_TIMEOUT_RESULT_UPLOAD'],
    property: 'cron.detector.timeout.result-upload',
    description: 'ReplicateResultUploadTimeoutDetector, TaskResultUploadTimeoutDetector.',
  })
  @IsPositiveInt('a positive number of milliseconds')
  CRON_DETECTOR_TIMEOUT_RESULTUPLOAD!: number;
}
