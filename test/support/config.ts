import { AppConfig } from '../../src/config/app-config.js';
import { loadConfig, RawEnvironment } from '../../src/config/load-config.js';

/** A validated config for tests: defaults, a short Mongo timeout, then the overrides. */
export function testConfig(overrides: RawEnvironment = {}): AppConfig {
  return loadConfig({ MONGO_CONNECT_TIMEOUT: '5000', IEXEC_LOG_LEVEL: 'ERROR', ...overrides });
}
