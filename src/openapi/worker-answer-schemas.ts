import { TaskAbortCause, TaskNotificationType } from '../notification/task-notification-type.js';

// JSON schemas of the worker protocol's answer bodies (worker-api.md), for the OpenAPI document.
// They mirror the read models the controllers return (WorkerJson, PublicConfiguration, the R1
// summary, TaskNotification); test/e2e/app/openapi.spec.ts checks real answers against them.

type Schema = Record<string, unknown>;

const nullableString: Schema = { type: 'string', nullable: true };
const address: Schema = { type: 'string', pattern: '^0[xX][0-9a-fA-F]{40}$' };
const bytes32: Schema = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' };

function object(properties: Record<string, Schema>, nullable = false): Schema {
  return {
    type: 'object',
    required: Object.keys(properties),
    properties,
    ...(nullable ? { nullable: true } : {}),
  };
}

const workerpoolAuthorization = (nullable = false) =>
  object(
    {
      chainTaskId: bytes32,
      workerWallet: address,
      enclaveChallenge: address,
      signature: object({ value: { type: 'string', pattern: '^0x[0-9a-fA-F]*$' } }),
    },
    nullable,
  );

/** R1 200: GET /replicates/available. */
export const REPLICATE_TASK_SUMMARY_SCHEMA = object({
  workerpoolAuthorization: workerpoolAuthorization(),
  smsUrl: nullableString,
});

/** R2 items and the push channel's messages (§8.6): nulls emitted, `workersAddress` a list. */
export const TASK_NOTIFICATION_SCHEMA = object({
  chainTaskId: bytes32,
  workersAddress: { type: 'array', items: address },
  taskNotificationType: { type: 'string', enum: Object.values(TaskNotificationType) },
  taskNotificationExtra: object(
    {
      workerpoolAuthorization: workerpoolAuthorization(true),
      smsUrl: nullableString,
      blockNumber: { type: 'integer', format: 'int64' },
      taskAbortCause: { type: 'string', enum: Object.values(TaskAbortCause), nullable: true },
    },
    true,
  ),
});

/** W5: exactly seven properties (§3.5). */
export const PUBLIC_CONFIGURATION_SCHEMA = object({
  workerPoolAddress: nullableString,
  schedulerPublicAddress: nullableString,
  blockchainAdapterUrl: nullableString,
  configServerUrl: nullableString,
  resultRepositoryURL: nullableString,
  askForReplicatePeriod: { type: 'integer', format: 'int64' },
  requiredWorkerVersion: nullableString,
});

const taskIds: Schema = { type: 'array', items: bytes32 };
const javaDate: Schema = { type: 'string', format: 'date-time', nullable: true };

/** W4 200: the registered worker as Jackson writes it. */
export const WORKER_SCHEMA = object({
  id: { type: 'string' },
  name: nullableString,
  walletAddress: { type: 'string' },
  os: nullableString,
  cpu: nullableString,
  cpuNb: { type: 'integer' },
  maxNbTasks: { type: 'integer' },
  memorySize: { type: 'integer' },
  teeEnabled: { type: 'boolean' },
  gpuEnabled: { type: 'boolean' },
  tdxEnabled: { type: 'boolean' },
  participatingChainTaskIds: taskIds,
  computingChainTaskIds: taskIds,
  lastAliveDate: javaDate,
  lastReplicateDemandDate: javaDate,
});
