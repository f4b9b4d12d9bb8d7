import { join } from 'node:path';
import type { RawEnvironment } from '../../src/config/load-config.js';
import { freePort } from '../setup/mongo-server.js';

export const TEST_WALLET_PATH = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'encrypted-wallet_scheduler.json',
);
export const TEST_HUB_ADDRESS = '0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f';

/**
 * Variables booting the whole scheduler without a chain: the fixture keystore, the chain
 * parameters given locally (no Config Server), and a node URL nobody listens on (the chain
 * health goes OUT_OF_SERVICE, the deal watcher reads nothing). For HTTP + Mongo tests.
 */
export async function chainlessEnv(chainId = 134): Promise<RawEnvironment> {
  return {
    IEXEC_CORE_WALLET_PATH: TEST_WALLET_PATH,
    IEXEC_CORE_WALLET_PASSWORD: 'whatever',
    IEXEC_CHAIN_ID: String(chainId),
    IEXEC_HUB_ADDRESS: TEST_HUB_ADDRESS,
    IEXEC_BLOCK_TIME: '5',
    IEXEC_PRIVATE_CHAIN_ADDRESS: `http://127.0.0.1:${await freePort()}`,
    IEXEC_CORE_CHAIN_ADAPTER_URL: `http://127.0.0.1:${await freePort()}`,
    // SMS URLs given locally: no Platform Registry to read at boot.
    SMS_SCONE: 'http://127.0.0.1:9',
    SMS_GRAMINE: 'http://127.0.0.1:9',
  };
}
