import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { requestGateOf } from './common/http/request-gate.js';
import { shutDownGracefully } from './common/lifecycle/graceful-shutdown.js';
import { ApplicationAvailability } from './health/application-availability.js';
import { ConfigValidationError, loadConfig } from './config/load-config.js';
import { actuatorWarnings } from './config/actuator-ids.js';
import { publicDefaultWarnings } from './config/public-defaults.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const started = performance.now();
  const app = await createApp(config);
  // After createApp, so IEXEC_LOG_LEVEL applies to these lines too.
  const configLogger = new Logger('Config');
  for (const warning of [
    ...publicDefaultWarnings(config),
    ...actuatorWarnings(config.server.actuators),
  ])
    configLogger.warn(warning);
  await app.listen(config.server.port, '0.0.0.0');
  const logger = new Logger('Bootstrap');
  // Graceful stop within IEXEC_SHUTDOWN_TIMEOUT: readiness OUT_OF_SERVICE, new requests
  // refused, in-flight ones finished, jobs stopped, deferred writes flushed, MongoDB closed.
  const availability = app.get(ApplicationAvailability);
  const target = {
    refuseTraffic: () => availability.refuseTraffic(),
    gate: requestGateOf(app.getHttpAdapter().getInstance()),
    close: () => app.close(),
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(
        `${signal} received, shutting down (deadline ${config.server.shutdownTimeoutMs} ms)`,
      );
      shutDownGracefully(target, config.server.shutdownTimeoutMs, logger).then(
        (outcome) => process.exit(outcome === 'clean' ? 0 : 1),
        (error: unknown) => {
          logger.error(`Shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
    });
  }
  logger.log(
    `iExec Core Scheduler listening on port ${config.server.port} (ready in ${Math.round(performance.now() - started)} ms)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Scheduler failed to start: ${(error as Error)?.message ?? String(error)}\n`,
  );
  process.exit(1);
});
