import { workerAccount } from '../../../devstack/chain/accounts.js';
import { WorkerFleet } from '../../../devstack/worker/fleet.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import { harness, taskId, type Harness } from './harness.js';

let h: Harness;
let fleet: WorkerFleet | undefined;
beforeEach(() => (h = harness()));
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

function newFleet(options: Partial<ConstructorParameters<typeof WorkerFleet>[0]> = {}) {
  fleet = new WorkerFleet({
    schedulerUrl: 'http://scheduler.invalid',
    chain: h.chain,
    resultUploader: h.uploader,
    staggerMs: 5,
    worker: { api: h.scheduler, push: h.hub.factory, askPeriodMs: 5, pingIntervalMs: 20 },
    ...options,
  });
  return fleet;
}

describe('WorkerFleet', () => {
  it('starts N workers with their own wallets and behaviours, and aggregates their stats', async () => {
    const f = newFleet({ behaviour: (i) => (i === 2 ? 'wrongResult' : undefined) });
    const ids = [taskId(20), taskId(21), taskId(22)];
    for (let i = 0; i < 3; i++) {
      h.scheduler.offers.push({
        chainTaskId: ids[i],
        wallet: workerAccount(i).address.toLowerCase(),
      });
    }
    const workers = await f.start(3);
    expect(workers.map((w) => w.wallet)).toEqual(
      [0, 1, 2].map((i) => workerAccount(i).address.toLowerCase()),
    );
    expect(workers.map((w) => w.behaviour.name)).toEqual(['honest', 'honest', 'wrongResult']);
    await Promise.all(
      workers.map((w, i) => w.waitForStatus(ids[i], ReplicateStatus.CONTRIBUTED, 5000)),
    );
    expect(new Set(h.chain.contributions.map((c) => c.chainTaskId)).size).toBe(3);

    const stats = f.snapshot();
    expect(stats).toMatchObject({ workers: 3, running: 3, crashed: 0, tasksStarted: 3 });
    expect(stats.byBehaviour).toEqual({ honest: 2, wrongResult: 1 });
    expect(stats.statusesSent.CONTRIBUTED).toBe(3);
    expect(f.byWallet(workerAccount(1).address)).toBe(workers[1]);

    // a second batch continues the indexes
    const more = await f.start(1);
    expect(more[0].wallet).toBe(workerAccount(3).address.toLowerCase());
    expect(f.snapshot().workers).toBe(4);
  });

  it('reports the workers that failed to start', async () => {
    h.scheduler.config = { ...h.scheduler.config, requiredWorkerVersion: '1.0.0' };
    await expect(newFleet().start(2)).rejects.toThrow(/2\/2 simulated workers failed to start/);
  });
});
