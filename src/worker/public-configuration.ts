import { keccak256, toHex, type Hex } from 'viem';

/**
 * W5 body and W3 ping value (worker-api.md §3.5). The worker decodes this object strictly:
 * exactly these seven properties, in this order. `requiredWorkerVersion` must be "" when unset.
 */
export interface PublicConfiguration {
  workerPoolAddress: string | null;
  schedulerPublicAddress: string | null;
  blockchainAdapterUrl: string | null;
  configServerUrl: string | null;
  resultRepositoryURL: string | null;
  /** Milliseconds; a Java `long`, hence 0 rather than null when missing. */
  askForReplicatePeriod: number;
  requiredWorkerVersion: string | null;
}

export const PUBLIC_CONFIGURATION_KEYS = [
  'workerPoolAddress',
  'schedulerPublicAddress',
  'blockchainAdapterUrl',
  'configServerUrl',
  'resultRepositoryURL',
  'askForReplicatePeriod',
  'requiredWorkerVersion',
] as const satisfies readonly (keyof PublicConfiguration)[];

/** A fresh object with exactly the seven keys in order; missing strings become null. */
export function toPublicConfigurationBody(cfg: PublicConfiguration): PublicConfiguration {
  const period = cfg.askForReplicatePeriod ?? 0;
  if (!Number.isSafeInteger(period))
    throw new Error(`askForReplicatePeriod must be an integer, got ${period}`);
  return {
    workerPoolAddress: cfg.workerPoolAddress ?? null,
    schedulerPublicAddress: cfg.schedulerPublicAddress ?? null,
    blockchainAdapterUrl: cfg.blockchainAdapterUrl ?? null,
    configServerUrl: cfg.configServerUrl ?? null,
    resultRepositoryURL: cfg.resultRepositoryURL ?? null,
    askForReplicatePeriod: period,
    requiredWorkerVersion: cfg.requiredWorkerVersion ?? null,
  };
}

/** The W5 JSON text (null-valued properties are emitted). */
export function serializePublicConfiguration(cfg: PublicConfiguration): string {
  return JSON.stringify(toPublicConfigurationBody(cfg));
}

/** Lombok `toString()` of the Java class: `PublicConfiguration(k=v, …)`, null as `null`. */
export function publicConfigurationText(cfg: PublicConfiguration): string {
  const body = toPublicConfigurationBody(cfg);
  const fields = PUBLIC_CONFIGURATION_KEYS.map((key) => `${key}=${String(body[key])}`);
  return `PublicConfiguration(${fields.join(', ')})`;
}

/** W3 ping value: keccak256 of the UTF-8 text above, so it is stable across restarts. */
export function publicConfigurationFingerprint(cfg: PublicConfiguration): Hex {
  return keccak256(toHex(publicConfigurationText(cfg)));
}
