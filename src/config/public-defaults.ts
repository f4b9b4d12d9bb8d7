import type { AppConfig } from './app-config.js';

/** The default passwords of the Java scheduler's configuration: published, so guessable. */
const PUBLIC_DEFAULT_PASSWORD = 'whatever';

/**
 * Boot warnings for secrets left at their public default: the keystore password (anyone holding
 * the keystore file can spend from the wallet) and, in adapter mode, the adapter password.
 */
export function publicDefaultWarnings(config: AppConfig): string[] {
  const warnings: string[] = [];
  if (config.wallet.password === PUBLIC_DEFAULT_PASSWORD) {
    warnings.push(
      `IEXEC_CORE_WALLET_PASSWORD is the public default "${PUBLIC_DEFAULT_PASSWORD}": whoever obtains the keystore ${config.wallet.path} can use the workerpool wallet`,
    );
  }
  if (
    config.chain.writer === 'adapter' &&
    config.blockchainAdapter.password === PUBLIC_DEFAULT_PASSWORD
  ) {
    warnings.push(
      `IEXEC_CORE_CHAIN_ADAPTER_PASSWORD is the public default "${PUBLIC_DEFAULT_PASSWORD}": anyone reaching the Blockchain Adapter can have it send transactions`,
    );
  }
  return warnings;
}
