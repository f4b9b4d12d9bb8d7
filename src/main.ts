import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { requestGateOf } from './common/http/request-gate.js';
import { shutDownGracefully } from './common/lifecycle/graceful-shutdown.js';
import { ApplicationAvailability } from './health/application-availability.js';
import { ConfigValidationError, loadConfig } from './config/load-config.js';
import { actuatorWarnings } from './config/actuator-ids.js';
import { publicDefaultWarnings } from './config/public-defaults.js';
import { createAppLogger } from './common/logging/app-logger.js';
import { Leadership, leadershipSettings } from './leadership/leadership.js';

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
  // The app's log format and level for the lines written while waiting as standby, too.
  Logger.overrideLogger(createAppLogger(config.server.logLevel, config.server.logFormat));
  // Active/passive (issue 17 §2): the scheduler boots only once it holds the leader lease, so
  // every cache is built from the database; until then the port serves the standby endpoints.
  const leadership = await Leadership.connect(leadershipSettings(config));
  const stopWaiting = () => void leadership.stepDown().finally(() => process.exit(0));
  process.once('SIGTERM', stopWaiting).once('SIGINT', stopWaiting);
  await leadership.becomeLeader();
  const app = await createApp(config);
  process.off('SIGTERM', stopWaiting).off('SIGINT', stopWaiting);
  // After createApp, so IEXEC_LOG_LEVEL applies to these lines too.
  const configLogger = new Logger('Config');
  for (const warning of [
    ...publicDefaultWarnings(config),
    ...actuatorWarnings(config.server.actuators),
  ])
    configLogger.warn(warning);
  await leadership.handOverPort();
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
        // Released only after a clean close (the last write done): a standby leads at once.
        async (outcome) => {
          if (outcome === 'clean') await leadership.stepDown();
          process.exit(outcome === 'clean' ? 0 : 1);
        },
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
