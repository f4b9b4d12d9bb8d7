import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
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
  // Graceful stop: stop accepting, let in-flight requests finish, stop jobs, close MongoDB.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal} received, shutting down`);
      app.close().then(
        () => process.exit(0),
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
