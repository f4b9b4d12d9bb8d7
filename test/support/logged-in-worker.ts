import { generatePrivateKey } from 'viem/accounts';
import { dropDatabase } from './mongo.js';
import { RunningWorkerApp, startWorkerApp } from './worker-app.js';
import { TestWorker } from './worker-client.js';

export interface LoggedInWorker {
  running: RunningWorkerApp;
  /** A fresh wallet, logged in (`token`) but not registered. */
  worker: TestWorker;
  token: string;
}

/** The worker HTTP stack on `mongoUrl`, with one worker that has logged in. */
export async function startLoggedInWorker(mongoUrl: string): Promise<LoggedInWorker> {
  const running = await startWorkerApp({ env: { MONGO_URL: mongoUrl } });
  const worker = new TestWorker(running.baseUrl, generatePrivateKey());
  return { running, worker, token: await worker.login() };
}

/** Stops the app and drops its isolated database. */
export async function stopWorkerApp(running: RunningWorkerApp, mongoUrl: string): Promise<void> {
  await running.close();
  await dropDatabase(mongoUrl);
}
