import { generatePrivateKey } from 'viem/accounts';
import { WorkerRepository } from '../../../src/worker/worker.repository.js';
import { WorkerService } from '../../../src/worker/worker.service.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { RunningWorkerApp, startWorkerApp } from '../../support/worker-app.js';
import { TestWorker } from '../../support/worker-client.js';

describe('a scheduler restart between two worker calls', () => {
  const url = isolatedMongoUrl('worker_restart');
  let running: RunningWorkerApp | undefined;
  afterAll(async () => {
    await running?.close();
    await dropDatabase(url);
  });

  it('neither logs the worker out nor marks it lost', async () => {
    running = await startWorkerApp({ env: { MONGO_URL: url } });
    const worker = new TestWorker(running.baseUrl, generatePrivateKey());
    const token = await worker.login();
    expect((await worker.register(token)).status).toBe(200);
    const firstPing = await worker.ping(token);
    expect(firstPing.status).toBe(200);
    const fingerprint = await firstPing.text();
    await running.close(); // flushes the in-memory liveness
    running = undefined;

    running = await startWorkerApp({ env: { MONGO_URL: url } });
    const again = new TestWorker(running.baseUrl, worker.privateKey);
    const workers = running.moduleRef.get(WorkerService);
    // Before any call: the persisted ping is back, the worker is alive, nobody is lost.
    expect(workers.isAlive(worker.wallet)).toBe(true);
    expect(await workers.lostWorkers()).toEqual([]);
    expect((await workers.aliveWorkers()).map((w) => w.walletAddress)).toEqual([worker.wallet]);

    const ping = await again.ping(token);
    expect(ping.status).toBe(200);
    expect(await ping.text()).toBe(fingerprint);
    expect(workers.isAlive(worker.wallet)).toBe(true);
    expect((await again.computing(token)).status).toBe(200);
    // A login in the new process mints a new token; the old one keeps working too.
    const fresh = await again.login();
    expect((await again.ping(fresh)).status).toBe(200);
    expect((await again.ping(token)).status).toBe(200);
  });

  it('saved the last ping at shutdown, and a worker lost before the restart stays lost', async () => {
    const repository = running!.moduleRef.get(WorkerRepository);
    const workers = await repository.findAll();
    expect(workers[0].lastAliveDate).toBeInstanceOf(Date);
    // A second worker whose last ping is 2 minutes older than the first one's.
    const stale = new Date(workers[0].lastAliveDate!.getTime() - 120_000);
    await repository.upsertRegistration({
      walletAddress: '0xstale',
      cpuNb: 1,
      maxNbTasks: 1,
      memorySize: 1,
      teeEnabled: false,
      gpuEnabled: false,
    });
    await repository.saveLastAliveDates(new Map([['0xstale', stale]]));
    await running!.close();
    running = await startWorkerApp({ env: { MONGO_URL: url } });
    const service = running.moduleRef.get(WorkerService);
    expect((await service.lostWorkers()).map((w) => w.walletAddress)).toEqual(['0xstale']);
    expect(service.isAlive(workers[0].walletAddress)).toBe(true);
  });

  it('revokes every token when the JWT generation is raised or the wallet leaves the whitelist', async () => {
    await running?.close(); // the previous test's instance
    running = await startWorkerApp({ env: { MONGO_URL: url } });
    const worker = new TestWorker(running.baseUrl, generatePrivateKey());
    const token = await worker.login();
    expect((await worker.ping(token)).status).toBe(200);
    await running.close();
    running = undefined;

    const restartWith = async (env: Record<string, string>) => {
      running = await startWorkerApp({ env: { MONGO_URL: url, ...env } });
      return new TestWorker(running.baseUrl, worker.privateKey);
    };
    let again = await restartWith({ IEXEC_WORKERS_WHITELIST: `0x${'1'.repeat(40)}` });
    expect((await again.ping(token)).status).toBe(401);
    await running!.close();

    again = await restartWith({ IEXEC_WORKER_JWT_GENERATION: '1' });
    expect((await again.ping(token)).status).toBe(401);
    const fresh = await again.login();
    expect(fresh).not.toBe(token);
    expect((await again.ping(fresh)).status).toBe(200);
  });
});
