import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envExample, withConfigTable } from '../../src/config/config-docs.js';
import { environmentVariables } from '../../src/config/load-config.js';

const root = join(import.meta.dirname, '..', '..');

describe('configuration documentation', () => {
  it('README table matches the declarations (run `npm run config:docs`)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(withConfigTable(readme)).toBe(readme);
  });

  it('.env.example matches the declarations (run `npm run config:docs`)', () => {
    expect(readFileSync(join(root, '.env.example'), 'utf8')).toBe(envExample());
  });

  it('documents every variable of the Java scheduler table', () => {
    const names = environmentVariables().map((d) => d.name);
    const java = [
      'IEXEC_CORE_PORT',
      'MONGO_HOST',
      'MONGO_PORT',
      'IEXEC_PLATFORM_REGISTRY',
      'IEXEC_PLATFORM_REGISTRY_STACK',
      'IEXEC_PLATFORM_REGISTRY_LABEL',
      'REVEAL_TIMEOUT_PERIOD',
      'IEXEC_ASK_REPLICATE_PERIOD',
      'IEXEC_CORE_REQUIRED_WORKER_VERSION',
      'IEXEC_WORKERS_WHITELIST',
      'IEXEC_CORE_WALLET_PATH',
      'IEXEC_CORE_WALLET_PASSWORD',
      'IEXEC_PRIVATE_CHAIN_ADDRESS',
      'POOL_ADDRESS',
      'IEXEC_START_BLOCK_NUMBER',
      'IEXEC_GAS_PRICE_MULTIPLIER',
      'IEXEC_GAS_PRICE_CAP',
      'IEXEC_CHAIN_HEALTH_POLLING_INTERVAL_IN_BLOCKS',
      'IEXEC_CHAIN_HEALTH_OUT_OF_SERVICE_THRESHOLD',
      'IEXEC_CORE_CHAIN_ADAPTER_PROTOCOL',
      'IEXEC_CORE_CHAIN_ADAPTER_HOST',
      'IEXEC_CORE_CHAIN_ADAPTER_PORT',
      'IEXEC_CORE_CHAIN_ADAPTER_USERNAME',
      'IEXEC_CORE_CHAIN_ADAPTER_PASSWORD',
      'IEXEC_CONFIG_SERVER_PROTOCOL',
      'IEXEC_CONFIG_SERVER_HOST',
      'IEXEC_CONFIG_SERVER_PORT',
      'IEXEC_RESULT_REPOSITORY_PROTOCOL',
      'IEXEC_RESULT_REPOSITORY_HOST',
      'IEXEC_RESULT_REPOSITORY_PORT',
      'IEXEC_CORE_MANAGEMENT_ACTUATORS',
      'IEXEC_LOGS_PURGE_RATE_IN_DAYS',
      'IEXEC_LOGS_AVAILABILITY_PERIOD_IN_DAYS',
      'IEXEC_LOG_LEVEL',
    ];
    expect(java).toHaveLength(34);
    for (const name of java) expect(names).toContain(name);
  });
});
