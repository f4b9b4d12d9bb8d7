import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { generatePrivateKey } from 'viem/accounts';
import { CLOCK } from '../../../src/common/clock.js';
import { publicConfigurationFingerprint } from '../../../src/worker/public-configuration.js';
import { WorkerRepository } from '../../../src/worker/worker.repository.js';
import { WorkerService } from '../../../src/worker/worker.service.js';
import { WorkerLivenessService } from '../../../src/worker/worker-liveness.service.js';
import { startLoggedInWorker, stopWorkerApp } from '../../support/logged-in-worker.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { RunningWorkerApp, startWorkerApp } from '../../support/worker-app.js';
import { defaultWorkerModel, TestWorker, jsonOf } from '../../support/worker-client.js';

const WORKER_KEYS = [
  'id',
  'name',
  'walletAddress',
  'os',
  'cpu',
  'cpuNb',
  'maxNbTasks',
  'memorySize',
  'teeEnabled',
  'gpuEnabled',
  'tdxEnabled',
  'participatingChainTaskIds',
  'computingChainTaskIds',
  'lastAliveDate',
  'lastReplicateDemandDate',
];
const CONFIG_KEYS = [
  'workerPoolAddress',
  'schedulerPublicAddress',
  'blockchainAdapterUrl',
  'configServerUrl',
  'resultRepositoryURL',
  'askForReplicatePeriod',
  'requiredWorkerVersion',
];
const SCHEDULER = '0x2d29bfbec903479fe4ba991918bab99b494f2bef';
const taskId = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

describe('worker registry over HTTP (W3–W6)', () => {
  const url = isolatedMongoUrl('worker_registry');
  let running: RunningWorkerApp;
  let worker: TestWorker;
  let token: string;
  const service = () => running.moduleRef.get(WorkerService);
  beforeAll(async () => ({ running, worker, token } = await startLoggedInWorker(url)));
  afterAll(() => stopWorkerApp(running, url));

  describe('W5 GET /workers/config', () => {
    it('serves exactly the seven properties, in order, with the default configuration', async () => {
      const res = await fetch(`${running.baseUrl}/workers/config`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await res.text();
      const body = JSON.parse(text);
      expect(Object.keys(body)).toEqual(CONFIG_KEYS);
      expect(body).toEqual({
        workerPoolAddress: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
        schedulerPublicAddress: SCHEDULER,
        blockchainAdapterUrl: 'http://localhost:8888',
        configServerUrl: 'http://localhost:8888',
        resultRepositoryURL: 'http://localhost:13200',
        askForReplicatePeriod: 5000,
        requiredWorkerVersion: '',
      });
      expect(text).toBe(JSON.stringify(body));
    });
  });

  describe('W3 POST /workers/ping', () => {
    it('answers the configuration fingerprint as plain text, the same on every call', async () => {
      const config = await jsonOf(await fetch(`${running.baseUrl}/workers/config`));
      const first = await worker.ping(token);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^text\/plain/);
      const value = await first.text();
      expect(value).toBe(publicConfigurationFingerprint(config));
      expect(value).toMatch(/^0x[0-9a-f]{64}$/);
      expect(await (await worker.ping(token)).text()).toBe(value);
      expect(service().isAlive(worker.wallet)).toBe(true);
    });

    it('refuses an invalid token with 401', async () => {
      expect((await worker.ping(`${token}x`)).status).toBe(401);
      expect((await worker.ping()).status).toBe(401);
    });
  });

  describe('W4 POST /workers/register', () => {
    it('refuses an unauthenticated registration with 401 and stores nothing', async () => {
      const stranger = new TestWorker(running.baseUrl, generatePrivateKey());
      const res = await stranger.register(undefined);
      expect(res.status).toBe(401);
      expect(await res.text()).toBe('');
      expect(
        await running.moduleRef.get(WorkerRepository).findByWalletAddress(stranger.wallet),
      ).toBeNull();
      // Authentication comes before body validation.
      expect((await stranger.register('forged', { cpuNb: 'abc' })).status).toBe(401);
    });

    it('stores a CPU worker with maxNbTasks = cpuNb and answers the document (exact properties)', async () => {
      const res = await worker.register(token, {
        ...defaultWorkerModel('0x0000000000000000000000000000000000000bad'),
        success: true,
        somethingNew: { nested: 1 },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = await jsonOf(res);
      expect(Object.keys(body)).toEqual(WORKER_KEYS);
      expect(body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'worker-1',
        walletAddress: worker.wallet,
        os: 'Linux',
        cpu: 'amd64',
        cpuNb: 7,
        maxNbTasks: 7,
        memorySize: 31,
        teeEnabled: false,
        gpuEnabled: false,
        tdxEnabled: false,
        participatingChainTaskIds: [],
        computingChainTaskIds: [],
        lastAliveDate: null,
        lastReplicateDemandDate: null,
      });
      const stored = await running.moduleRef
        .get(WorkerRepository)
        .findByWalletAddress(worker.wallet);
      expect(stored).toMatchObject({ _class: 'com.iexec.core.worker.Worker', cpuNb: 7 });
      expect(stored).not.toHaveProperty('success');
      expect(service().isAlive(worker.wallet)).toBe(true);
    });

    it('gives a GPU worker maxNbTasks = 1, and keeps id and task lists on re-registration', async () => {
      const first = await jsonOf(await worker.register(token));
      const added = await service().addTaskToWorker(worker.wallet, taskId(1));
      expect(added.added).toBe(true);
      const res = await worker.register(
        token,
        defaultWorkerModel(worker.wallet, { gpuEnabled: true, name: 'gpu' }),
      );
      const second = await jsonOf(res);
      expect(second).toMatchObject({
        id: first.id,
        name: 'gpu',
        gpuEnabled: true,
        cpuNb: 7,
        maxNbTasks: 1,
        participatingChainTaskIds: [taskId(1)],
        computingChainTaskIds: [taskId(1)],
      });
      await worker.register(token); // back to a CPU worker for the next tests
    });

    it('stores tdxEnabled as a 9.x worker sends it, and false again for an 8.5 body without it', async () => {
      const other = new TestWorker(running.baseUrl, generatePrivateKey());
      const otherToken = await other.login();
      const model = defaultWorkerModel(other.wallet, { teeEnabled: false, tdxEnabled: true });
      const tdx = await jsonOf(await other.register(otherToken, model));
      expect(tdx).toMatchObject({ teeEnabled: false, tdxEnabled: true });
      const repository = running.moduleRef.get(WorkerRepository);
      expect(await repository.findByWalletAddress(other.wallet)).toMatchObject({
        tdxEnabled: true,
      });
      expect(await service().getWorker(other.wallet)).toMatchObject({ tdxEnabled: true });
      const java85 = await jsonOf(
        await other.register(otherToken, defaultWorkerModel(other.wallet)),
      );
      expect(java85).toMatchObject({ tdxEnabled: false });
      expect((await other.register(otherToken, { ...model, tdxEnabled: 'yes' })).status).toBe(400);
    });

    it('removes descriptive fields the body no longer carries, defaulting numbers and booleans', async () => {
      const other = new TestWorker(running.baseUrl, generatePrivateKey());
      const otherToken = await other.login();
      await other.register(otherToken);
      const body = await jsonOf(await other.register(otherToken, {}));
      expect(body).toMatchObject({
        name: null,
        os: null,
        cpu: null,
        cpuNb: 0,
        maxNbTasks: 0,
        memorySize: 0,
      });
    });

    it.each([
      ['a non-numeric cpuNb', { cpuNb: 'abc' }],
      ['a fractional cpuNb', { cpuNb: 2.5 }],
      ['a negative cpuNb', { cpuNb: -1 }],
      ['a memorySize beyond a Java int', { memorySize: 2 ** 31 }],
      ['a string boolean', { gpuEnabled: 'yes' }],
      ['a numeric name', { name: 42 }],
      ['a name over 256 characters', { name: 'n'.repeat(257) }],
      ['a cpu model over 256 characters', { cpu: 'c'.repeat(257) }],
    ])('answers 400 to %s', async (_label, override) => {
      const res = await worker.register(token, defaultWorkerModel(worker.wallet, override));
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({
        status: 400,
        error: 'Bad Request',
        path: '/workers/register',
      });
    });

    it('answers 400 to a registration without body', async () => {
      const res = await fetch(`${running.baseUrl}/workers/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(400);
    });
  });

  describe('W6 GET /workers/computing', () => {
    it('returns the stored computing list, [] for an unknown worker, 401 without a valid token', async () => {
      const res = await worker.computing(token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await jsonOf(res)).toEqual([taskId(1)]);
      await service().removeComputingTask(worker.wallet, taskId(1));
      expect(await jsonOf(await worker.computing(token))).toEqual([]);
      expect((await service().getWorker(worker.wallet))?.participatingChainTaskIds).toEqual([
        taskId(1),
      ]);

      const unknown = new TestWorker(running.baseUrl, generatePrivateKey());
      const unknownToken = await unknown.login();
      const empty = await unknown.computing(unknownToken);
      expect(empty.status).toBe(200);
      expect(await empty.text()).toBe('[]');
      expect((await worker.computing()).status).toBe(401);
      expect((await worker.computing('garbage')).status).toBe(401);
    });
  });

  describe('write-through cache and batched liveness', () => {
    it('writes more liveness dates than one update command may carry on FerretDB', async () => {
      const repository = running.moduleRef.get(WorkerRepository);
      const connection = running.moduleRef.get<Connection>(getConnectionToken());
      const wallets = Array.from({ length: 130 }, (_, i) => `0xbulk${i}`);
      await connection
        .collection('worker')
        .insertMany(wallets.map((walletAddress) => ({ walletAddress })));
      const date = new Date('2026-02-03T04:05:06.789Z');
      const dates = new Map(wallets.map((w) => [w, date]));
      await repository.saveDates(dates, dates);
      const stored = await repository.findByWalletAddresses(wallets);
      expect(stored).toHaveLength(130);
      for (const doc of stored) {
        expect(doc.lastAliveDate).toEqual(date);
        expect(doc.lastReplicateDemandDate).toEqual(date);
      }
      await connection.collection('worker').deleteMany({ walletAddress: { $in: wallets } });
    });

    it('keeps the cache equal to the collection through list mutations', async () => {
      const workers = service();
      const repository = running.moduleRef.get(WorkerRepository);
      await workers.addTaskToWorker(worker.wallet, taskId(2));
      await workers.addTaskToWorker(worker.wallet, taskId(2));
      await workers.removeTaskFromAll([worker.wallet, '0xunknown'], taskId(1));
      const cached = await workers.getWorker(worker.wallet);
      const stored = await repository.findByWalletAddress(worker.wallet);
      expect(stored?.participatingChainTaskIds).toEqual([taskId(2)]);
      expect(stored?.computingChainTaskIds).toEqual([taskId(2)]);
      expect(cached?.participatingChainTaskIds).toEqual(stored?.participatingChainTaskIds);
      expect(cached?.computingChainTaskIds).toEqual(stored?.computingChainTaskIds);
    });

    it('reserves capacity atomically under concurrent demands', async () => {
      const workers = service();
      const w = new TestWorker(running.baseUrl, generatePrivateKey());
      await w.register(await w.login(), defaultWorkerModel(w.wallet, { cpuNb: 3 }));
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => workers.addTaskToWorker(w.wallet, taskId(100 + i))),
      );
      expect(results.filter((r) => r.added)).toHaveLength(3);
      expect(results.filter((r) => !r.added && r.reason === 'no-capacity')).toHaveLength(7);
      const stored = await running.moduleRef.get(WorkerRepository).findByWalletAddress(w.wallet);
      expect(stored?.computingChainTaskIds).toHaveLength(3);
      expect(await workers.addTaskToWorker('0xnobody', taskId(1))).toEqual({
        added: false,
        reason: 'unknown-worker',
      });
    });

    it('persists last ping and accepted demand dates in bulk when flushed', async () => {
      const before = Date.now();
      expect((await worker.ping(token)).status).toBe(200);
      expect(service().tryAcceptReplicateDemand(worker.wallet)).toBe(true);
      expect(service().tryAcceptReplicateDemand(worker.wallet)).toBe(false);
      await running.moduleRef.get(WorkerLivenessService).flush();
      const stored = await running.moduleRef
        .get(WorkerRepository)
        .findByWalletAddress(worker.wallet);
      expect(stored?.lastAliveDate?.getTime()).toBeGreaterThanOrEqual(before);
      expect(stored?.lastReplicateDemandDate?.getTime()).toBeGreaterThanOrEqual(before);
    });
  });
});

describe('liveness classification and metrics with a controlled clock', () => {
  const url = isolatedMongoUrl('worker_liveness');
  let now = Date.parse('2026-01-01T00:00:00Z');
  let running: RunningWorkerApp;
  beforeAll(async () => {
    running = await startWorkerApp({
      env: { MONGO_URL: url, IEXEC_CORE_REQUIRED_WORKER_VERSION: '8.5.0' },
      providers: [{ provide: CLOCK, useValue: () => now }],
    });
  });
  afterAll(async () => {
    await running.close();
    await dropDatabase(url);
  });

  it('publishes a configured requiredWorkerVersion', async () => {
    const body = await jsonOf(await fetch(`${running.baseUrl}/workers/config`));
    expect(body.requiredWorkerVersion).toBe('8.5.0');
  });

  it('classifies alive (< 60 s), lost (> 60 s) and never-pinged workers, and aggregates CPU/GPU', async () => {
    const service = running.moduleRef.get(WorkerService);
    expect(await service.aliveWorkers()).toEqual([]);
    expect(await service.lostWorkers()).toEqual([]);
    const [early, late, gpu, silent] = Array.from(
      { length: 4 },
      () => new TestWorker(running.baseUrl, generatePrivateKey()),
    );
    for (const w of [early, late, gpu, silent]) {
      const t = await w.login();
      await w.register(t, defaultWorkerModel(w.wallet, { cpuNb: 4, gpuEnabled: w === gpu }));
    }
    // Registration counts as a ping; `silent` has never pinged in this process's eyes.
    (
      running.moduleRef.get(WorkerLivenessService) as unknown as { lastPing: Map<string, number> }
    ).lastPing.delete(silent.wallet);
    now += 30_000;
    await late.ping(await late.login());
    await gpu.ping(await gpu.login());
    await service.addTaskToWorker(late.wallet, taskId(1));
    now += 40_000; // early: 70 s, late and gpu: 40 s
    const wallets = (list: { walletAddress: string }[]) => list.map((w) => w.walletAddress).sort();
    expect(wallets(await service.aliveWorkers())).toEqual([late.wallet, gpu.wallet].sort());
    expect(wallets(await service.lostWorkers())).toEqual([early.wallet]);
    expect(service.isAlive(silent.wallet)).toBe(false);
    expect(await service.aliveMetrics()).toEqual({
      aliveWorkers: 2,
      aliveTotalCpu: 4,
      aliveAvailableCpu: 3,
      aliveTotalGpu: 1,
      aliveAvailableGpu: 1,
    });
  });
});
