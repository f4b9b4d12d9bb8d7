import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap.js';
import { ConfigValidationError, loadConfig } from './config/load-config.js';

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
  await app.listen(config.server.port, '0.0.0.0');
  new Logger('Bootstrap').log(
    `iExec Core Scheduler listening on port ${config.server.port} (ready in ${Math.round(performance.now() - started)} ms)`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Scheduler failed to start: ${(error as Error)?.message ?? String(error)}\n`,
  );
  process.exit(1);
});
