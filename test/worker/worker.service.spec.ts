import { Types } from 'mongoose';
import type { JobScheduler } from '../../src/common/jobs/job-scheduler.js';
import type {
  WorkerRecord,
  WorkerRegistration,
  WorkerRepository,
} from '../../src/worker/worker.repository.js';
import {
  LIVENESS_PERSIST_STEP_MS,
  WorkerLivenessService,
} from '../../src/worker/worker-liveness.service.js';
import { WorkerService } from '../../src/worker/worker.service.js';
import { testConfig } from '../support/config.js';

/** The subset of WorkerRepository the services use, in memory, recording writes. */
class FakeRepository {
  docs = new Map<string, WorkerRecord>();
  savedDates: { alive: Map<string, Date>; demand: Map<string, Date> }[] = [];
  failNext = false;

  async findAll() {
    return [...this.docs.values()].map((d) => structuredClone(d));
  }
  async upsertRegistration(r: WorkerRegistration) {
    const existing = this.docs.get(r.walletAddress);
    const doc: WorkerRecord = {
      _id: existing?._id ?? new Types.ObjectId(),
      participatingChainTaskIds: existing?.participatingChainTaskIds ?? [],
      computingChainTaskIds: existing?.computingChainTaskIds ?? [],
      ...r,
    };
    this.docs.set(r.walletAddress, doc);
    return structuredClone(doc);
  }
  async addTask(wallet: string, id: string) {
    this.maybeFail();
    const doc = this.docs.get(wallet)!;
    for (const list of [doc.participatingChainTaskIds, doc.computingChainTaskIds])
      if (!list.includes(id)) list.push(id);
    return true;
  }
  async removeComputingTask(wallet: string, id: string) {
    const doc = this.docs.get(wallet)!;
    doc.computingChainTaskIds = doc.computingChainTaskIds.filter((x) => x !== id);
  }
  async removeTask(wallet: string, id: string) {
    const doc = this.docs.get(wallet)!;
    doc.computingChainTaskIds = doc.computingChainTaskIds.filter((x) => x !== id);
    doc.participatingChainTaskIds = doc.participatingChainTaskIds.filter((x) => x !== id);
  }
  async saveDates(alive: Map<string, Date>, demand: Map<string, Date>) {
    this.maybeFail();
    this.savedDates.push({ alive, demand });
  }
  private maybeFail() {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
  }
}

const jobs = { register: () => undefined } as unknown as JobScheduler;

function setup(docs: Partial<WorkerRecord>[] = []) {
  let now = 1_000_000_000;
  const repository = new FakeRepository();
  for (const d of docs) {
    repository.docs.set(d.walletAddress!, {
      _id: new Types.ObjectId(),
      cpuNb: 2,
      maxNbTasks: 2,
      memorySize: 1,
      teeEnabled: false,
      gpuEnabled: false,
      participatingChainTaskIds: [],
      computingChainTaskIds: [],
      ...d,
    } as WorkerRecord);
  }
  const clock = () => now;
  const repo = repository as unknown as WorkerRepository;
  const liveness = new WorkerLivenessService(repo, jobs, clock);
  const service = new WorkerService(repo, liveness, testConfig(), clock);
  return { repository, liveness, service, advance: (ms: number) => (now += ms), now: () => now };
}

describe('WorkerLivenessService', () => {
  it('writes only what changed since the last flush, and again after a re-registration', async () => {
    const { repository, liveness, advance } = setup();
    liveness.recordPing('a');
    liveness.recordPing('b');
    await liveness.flush();
    expect([...repository.savedDates[0].alive.keys()]).toEqual(['a', 'b']);
    await liveness.flush();
    expect(repository.savedDates).toHaveLength(1);
    advance(1000);
    liveness.recordPing('b');
    liveness.markUnpersisted('a');
    await liveness.flush();
    expect([...repository.savedDates[1].alive.keys()]).toEqual(['a', 'b']);
  });

  it('writes a time again only once it moved the persist step past the stored one, on the periodic flush', async () => {
    const { repository, liveness, advance } = setup();
    liveness.recordPing('a');
    await liveness.flush(LIVENESS_PERSIST_STEP_MS);
    expect([...repository.savedDates[0].alive.keys()]).toEqual(['a']);
    advance(LIVENESS_PERSIST_STEP_MS - 1);
    liveness.recordPing('a');
    liveness.recordPing('b');
    await liveness.flush(LIVENESS_PERSIST_STEP_MS);
    expect([...repository.savedDates[1].alive.keys()]).toEqual(['b']);
    advance(1);
    liveness.recordPing('a');
    await liveness.flush(LIVENESS_PERSIST_STEP_MS);
    expect([...repository.savedDates[2].alive.keys()]).toEqual(['a']);
    advance(1000);
    liveness.recordPing('a');
    await liveness.flush();
    expect([...repository.savedDates[3].alive.keys()]).toEqual(['a']);
  });

  it('writes demand times along with ping writes on the periodic flush, all of them on a full one', async () => {
    const { repository, liveness, advance, now } = setup();
    liveness.recordPing('a');
    liveness.tryAcceptReplicateDemand('a', now(), 1000);
    liveness.tryAcceptReplicateDemand('b', now(), 1000);
    await liveness.flush(LIVENESS_PERSIST_STEP_MS);
    expect([...repository.savedDates[0].alive.keys()]).toEqual(['a']);
    expect([...repository.savedDates[0].demand.keys()]).toEqual(['a']);
    advance(2000);
    liveness.tryAcceptReplicateDemand('a', now(), 1000);
    await liveness.flush(LIVENESS_PERSIST_STEP_MS);
    expect(repository.savedDates).toHaveLength(1);
    await liveness.flush();
    expect([...repository.savedDates[1].demand.keys()].sort()).toEqual(['a', 'b']);
  });

  it('keeps unsaved times for the next flush when a write fails', async () => {
    const { repository, liveness } = setup();
    liveness.recordPing('a');
    repository.failNext = true;
    await expect(liveness.flush()).rejects.toThrow('database down');
    await liveness.flush();
    expect([...repository.savedDates[0].alive.keys()]).toEqual(['a']);
  });

  it('refreshes the demand time only on accepted demands', () => {
    const { liveness, now } = setup();
    const t0 = now();
    expect(liveness.tryAcceptReplicateDemand('w', t0, 5000)).toBe(true);
    expect(liveness.tryAcceptReplicateDemand('w', t0 + 1000, 5000)).toBe(false);
    expect(liveness.lastAcceptedDemandOf('w')).toBe(t0);
    expect(liveness.tryAcceptReplicateDemand('w', t0 + 4600, 5000)).toBe(true);
    expect(liveness.lastAcceptedDemandOf('w')).toBe(t0 + 4600);
    expect(liveness.tryAcceptReplicateDemand('other', t0 + 4600, 5000)).toBe(true);
  });
});

describe('WorkerService', () => {
  it('loads the registry and the persisted pings at boot', async () => {
    const { service, advance } = setup([
      { walletAddress: 'recent', lastAliveDate: new Date(1_000_000_000 - 5_000) },
      { walletAddress: 'old', lastAliveDate: new Date(1_000_000_000 - 125_000) },
      { walletAddress: 'never' },
    ]);
    advance(600_000); // the scheduler was down 10 minutes
    await service.onModuleInit();
    expect((await service.aliveWorkers()).map((w) => w.walletAddress)).toEqual(['recent']);
    expect((await service.lostWorkers()).map((w) => w.walletAddress)).toEqual(['old']);
    expect(service.isAlive('never')).toBe(false);
  });

  it('derives maxNbTasks at registration and counts it as a ping', async () => {
    const { service } = setup();
    const cpu = await service.register('cpu', { cpuNb: 6, gpuEnabled: false });
    const gpu = await service.register('gpu', { cpuNb: 6, gpuEnabled: true });
    expect(cpu.maxNbTasks).toBe(6);
    expect(gpu.maxNbTasks).toBe(1);
    expect(service.isAlive('cpu')).toBe(true);
  });

  it('reserves a slot while computing < maxNbTasks, idempotently', async () => {
    const { service, repository } = setup([{ walletAddress: 'w', maxNbTasks: 2 }]);
    expect((await service.addTaskToWorker('w', 't1')).added).toBe(true);
    expect((await service.addTaskToWorker('w', 't1')).added).toBe(true);
    expect((await service.addTaskToWorker('w', 't2')).added).toBe(true);
    expect(await service.addTaskToWorker('w', 't3')).toEqual({
      added: false,
      reason: 'no-capacity',
    });
    expect(repository.docs.get('w')?.computingChainTaskIds).toEqual(['t1', 't2']);
    await service.removeComputingTask('w', 't1');
    expect(await service.computingTaskIds('w')).toEqual(['t2']);
    expect((await service.getWorker('w'))?.participatingChainTaskIds).toEqual(['t1', 't2']);
    expect((await service.addTaskToWorker('w', 't3')).added).toBe(true);
    await service.removeTaskFromAll(['w', 'w', 'unknown'], 't2');
    expect(await service.getWorker('w')).toMatchObject({
      participatingChainTaskIds: ['t1', 't3'],
      computingChainTaskIds: ['t3'],
    });
  });

  it('leaves the cache unchanged when the database write fails', async () => {
    const { service, repository } = setup([{ walletAddress: 'w' }]);
    repository.failNext = true;
    await expect(service.addTaskToWorker('w', 't1')).rejects.toThrow('database down');
    expect(await service.computingTaskIds('w')).toEqual([]);
    expect((await service.addTaskToWorker('w', 't1')).added).toBe(true);
  });

  it('never exposes a mutable cached document', async () => {
    const { service } = setup([{ walletAddress: 'w' }]);
    const worker = await service.getWorker('w');
    expect(Object.isFrozen(worker)).toBe(true);
    expect(Object.isFrozen(worker?.computingChainTaskIds)).toBe(true);
  });

  it('throttles replicate demands with the configured period by default', () => {
    const { service, now } = setup();
    expect(service.tryAcceptReplicateDemand('w', now())).toBe(true);
    expect(service.tryAcceptReplicateDemand('w', now() + 1000)).toBe(false);
    expect(service.tryAcceptReplicateDemand('w', now() + 5000)).toBe(true);
  });
});
