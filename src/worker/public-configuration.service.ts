import { Injectable } from '@nestjs/common';
import type { Hex } from 'viem';
import { ChainContext } from '../chain/chain-context.js';
import { AppConfig } from '../config/app-config.js';
import {
  publicConfigurationFingerprint,
  toPublicConfigurationBody,
  type PublicConfiguration,
} from './public-configuration.js';

/** W5 body and W3 ping value, built once at boot (worker-api.md §3.5). */
@Injectable()
export class PublicConfigurationService {
  readonly configuration: Readonly<PublicConfiguration>;
  readonly fingerprint: Hex;

  constructor(config: AppConfig, chain: ChainContext) {
    this.configuration = Object.freeze(
      toPublicConfigurationBody({
        workerPoolAddress: config.chain.poolAddress,
        schedulerPublicAddress: chain.schedulerAddress,
        // Deprecated duplicate of configServerUrl, kept for older workers.
        blockchainAdapterUrl: config.configServer.url,
        configServerUrl: config.configServer.url,
        resultRepositoryURL: config.resultRepository.url,
        askForReplicatePeriod: config.workers.askForReplicatePeriodMs,
        // Never null: the worker calls a string method on it (§2.7).
        requiredWorkerVersion: config.workers.requiredWorkerVersion ?? '',
      }),
    );
    this.fingerprint = publicConfigurationFingerprint(this.configuration);
  }
}
