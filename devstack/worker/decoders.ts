// The worker's HTTP JSON decoding is strict (worker-api.md §0.2): an object with a property it does
// not know fails to decode and the whole call counts as failed. These decoders reproduce that, so
// the simulated fleet catches a scheduler that adds or drops a property.
import type { WorkerpoolAuthorization } from '../../src/chain/workerpool-authorization.js';
import {
  TaskAbortCause,
  TaskNotificationType,
} from '../../src/notification/task-notification-type.js';
import type {
  TaskNotification,
  TaskNotificationExtra,
} from '../../src/notification/task-notification.js';
import {
  PUBLIC_CONFIGURATION_KEYS,
  type PublicConfiguration,
} from '../../src/worker/public-configuration.js';

export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

type Json = Record<string, unknown>;

function parse(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DecodeError(`${what}: not JSON`);
  }
}

function object(value: unknown, what: string, keys: readonly string[], required = keys): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError(`${what}: not an object`);
  }
  const unknown = Object.keys(value).filter((k) => !keys.includes(k));
  if (unknown.length > 0)
    throw new DecodeError(`${what}: unknown properties ${unknown.join(', ')}`);
  const missing = required.filter((k) => !(k in value));
  if (missing.length > 0)
    throw new DecodeError(`${what}: missing properties ${missing.join(', ')}`);
  return value as Json;
}

function stringOrNull(value: unknown, what: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new DecodeError(`${what}: not a string`);
  return value;
}

function string(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new DecodeError(`${what}: not a string`);
  return value;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DecodeError(`${what}: not an integer`);
  }
  return value;
}

/**
 * W5 (§3.5): exactly the seven properties. `requiredWorkerVersion` must be a string (the worker
 * calls a string method on it); `configServerUrl` falls back to `blockchainAdapterUrl`.
 */
export function decodePublicConfiguration(text: string): PublicConfiguration {
  const json = object(parse(text, 'PublicConfiguration'), 'PublicConfiguration', [
    ...PUBLIC_CONFIGURATION_KEYS,
  ]);
  const config: PublicConfiguration = {
    workerPoolAddress: stringOrNull(json.workerPoolAddress, 'workerPoolAddress'),
    schedulerPublicAddress: string(json.schedulerPublicAddress, 'schedulerPublicAddress'),
    blockchainAdapterUrl: stringOrNull(json.blockchainAdapterUrl, 'blockchainAdapterUrl'),
    configServerUrl: stringOrNull(json.configServerUrl, 'configServerUrl'),
    resultRepositoryURL: stringOrNull(json.resultRepositoryURL, 'resultRepositoryURL'),
    askForReplicatePeriod: integer(json.askForReplicatePeriod, 'askForReplicatePeriod'),
    requiredWorkerVersion: string(json.requiredWorkerVersion, 'requiredWorkerVersion'),
  };
  if (!config.configServerUrl?.trim()) config.configServerUrl = config.blockchainAdapterUrl;
  return config;
}

export function decodeWorkerpoolAuthorization(value: unknown, what = 'WorkerpoolAuthorization') {
  const json = object(value, what, [
    'chainTaskId',
    'workerWallet',
    'enclaveChallenge',
    'signature',
  ]);
  const signature = object(json.signature, `${what}.signature`, ['value']);
  const authorization: WorkerpoolAuthorization = {
    chainTaskId: string(json.chainTaskId, `${what}.chainTaskId`),
    workerWallet: string(json.workerWallet, `${what}.workerWallet`),
    enclaveChallenge: string(json.enclaveChallenge, `${what}.enclaveChallenge`),
    signature: { value: string(signature.value, `${what}.signature.value`) as `0x${string}` },
  };
  return authorization;
}

export interface ReplicateTaskSummary {
  workerpoolAuthorization: WorkerpoolAuthorization;
  smsUrl: string | null;
}

/** R1 200 body (§5.8): exactly `workerpoolAuthorization` and `smsUrl`. */
export function decodeReplicateTaskSummary(text: string): ReplicateTaskSummary {
  const json = object(parse(text, 'ReplicateTaskSummary'), 'ReplicateTaskSummary', [
    'workerpoolAuthorization',
    'smsUrl',
  ]);
  if (json.workerpoolAuthorization === null || json.workerpoolAuthorization === undefined) {
    throw new DecodeError('ReplicateTaskSummary: no workerpoolAuthorization');
  }
  return {
    workerpoolAuthorization: decodeWorkerpoolAuthorization(json.workerpoolAuthorization),
    smsUrl: stringOrNull(json.smsUrl, 'smsUrl'),
  };
}

const TYPES: ReadonlySet<string> = new Set(Object.values(TaskNotificationType));
const ABORT_CAUSES: ReadonlySet<string> = new Set(Object.values(TaskAbortCause));

function decodeExtra(value: unknown, what: string): TaskNotificationExtra | null {
  if (value === null || value === undefined) return null;
  const keys = ['workerpoolAuthorization', 'smsUrl', 'blockNumber', 'taskAbortCause'];
  const json = object(value, what, keys, []);
  const cause = stringOrNull(json.taskAbortCause, `${what}.taskAbortCause`);
  if (cause !== null && !ABORT_CAUSES.has(cause)) {
    throw new DecodeError(`${what}.taskAbortCause: unknown constant ${cause}`);
  }
  return {
    workerpoolAuthorization:
      json.workerpoolAuthorization === null || json.workerpoolAuthorization === undefined
        ? null
        : decodeWorkerpoolAuthorization(
            json.workerpoolAuthorization,
            `${what}.workerpoolAuthorization`,
          ),
    smsUrl: stringOrNull(json.smsUrl, `${what}.smsUrl`),
    blockNumber:
      json.blockNumber === undefined ? 0 : integer(json.blockNumber, `${what}.blockNumber`),
    taskAbortCause: cause as TaskAbortCause | null,
  };
}

/**
 * One TaskNotification. `strict` (HTTP, R2) refuses unknown properties such as the reference's
 * derived top-level `taskAbortCause` (§8.6); the STOMP decoder is lenient.
 */
export function decodeTaskNotification(value: unknown, strict = true, what = 'TaskNotification') {
  const keys = ['chainTaskId', 'workersAddress', 'taskNotificationType', 'taskNotificationExtra'];
  const json = strict ? object(value, what, keys, ['chainTaskId', 'taskNotificationType']) : value;
  if (typeof json !== 'object' || json === null) throw new DecodeError(`${what}: not an object`);
  const j = json as Json;
  const type = string(j.taskNotificationType, `${what}.taskNotificationType`);
  if (!TYPES.has(type)) throw new DecodeError(`${what}.taskNotificationType: unknown ${type}`);
  const targets = j.workersAddress;
  if (targets !== null && targets !== undefined) {
    if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string')) {
      throw new DecodeError(`${what}.workersAddress: not a list of strings`);
    }
  }
  const notification: TaskNotification = {
    chainTaskId: string(j.chainTaskId, `${what}.chainTaskId`),
    // null stays null: the worker then ignores the notification (§8.5)
    workersAddress: (targets ?? null) as string[],
    taskNotificationType: type as TaskNotificationType,
    taskNotificationExtra: strict
      ? decodeExtra(j.taskNotificationExtra, `${what}.taskNotificationExtra`)
      : decodeLenientExtra(j.taskNotificationExtra),
  };
  return notification;
}

function decodeLenientExtra(value: unknown): TaskNotificationExtra | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Json;
  const { workerpoolAuthorization, smsUrl, blockNumber, taskAbortCause } = v;
  return decodeExtra({ workerpoolAuthorization, smsUrl, blockNumber, taskAbortCause }, 'extra');
}

/** R2 200 body (§6.1): a JSON array of strictly decoded TaskNotification. */
export function decodeTaskNotifications(text: string): TaskNotification[] {
  const json = parse(text, 'TaskNotification[]');
  if (!Array.isArray(json)) throw new DecodeError('TaskNotification[]: not an array');
  return json.map((item, i) => decodeTaskNotification(item, true, `TaskNotification[${i}]`));
}

/** W6 200 body: a JSON array of strings. */
export function decodeStringList(text: string): string[] {
  const json = parse(text, 'string[]');
  if (!Array.isArray(json) || json.some((s) => typeof s !== 'string')) {
    throw new DecodeError('string[]: not a list of strings');
  }
  return json as string[];
}
