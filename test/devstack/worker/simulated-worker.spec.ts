import { privateKeyToAccount, generatePrivateKey } from 'viem/accounts';
import {
  HONEST_RESULT_SALT,
  sealResult,
  simulatedResult,
} from '../../../devstack/worker/result.js';
import { ReplicateStatus } from '../../../src/replicate/replicate-status.js';
import {
  harness,
  taskId,
  TaskNotificationType as N,
  until,
  sleep,
  type Harness,
} from './harness.js';

const S = ReplicateStatus;
const STANDARD_TO_CONTRIBUTED = [
  S.STARTING,
  S.STARTED,
  S.APP_DOWNLOADING,
  S.APP_DOWNLOADED,
  S.DATA_DOWNLOADING,
  S.DATA_DOWNLOADED,
  S.COMPUTING,
  S.COMPUTED,
  S.CONTRIBUTING,
  S.CONTRIBUTED,
];

let h: Harness;
beforeEach(() => (h = harness()));
afterEach(() => h.stopAll());

const statusesPosted = (wallet: string, chainTaskId: string) =>
  h.scheduler.postsOf(wallet, chainTaskId).map((p) => p.body.status);

describe('SimulatedWorker start-up', () => {
  it('reads the configuration, logs in with a signed challenge, registers, recovers, then asks', async () => {
    const worker = h.worker(0, { cpuNb: 3, memorySize: 16 });
    await worker.start();
    await until(() => h.scheduler.calls.some((c) => c.startsWith('R1')), 2000, 'R1');
    const wallet = worker.wallet;
    expect(wallet).toBe(wallet.toLowerCase());
    expect(h.scheduler.calls.slice(0, 5)).toEqual([
      'W5',
      `W1 ${wallet}`,
      `W2 ${wallet}`,
      `W4 ${wallet}`,
      `R2 ${wallet} 100`,
    ]);
    expect(h.scheduler.registered.get(wallet)).toEqual({
      name: worker.name,
      walletAddress: wallet,
      os: 'Linux',
      cpu: 'amd64',
      cpuNb: 3,
      memorySize: 16,
      teeEnabled: false,
      gpuEnabled: false,
    });
    expect(h.scheduler.calls).toContain(`R1 ${wallet} 100`);
    await until(() => h.scheduler.calls.includes(`W3 ${wallet}`), 2000, 'ping');
    expect(worker.state).toBe('running');
  });

  it('registers tdxEnabled only when set, as a 9.x worker does (an 8.5 body has none)', async () => {
    const tdx = h.worker(0, { teeEnabled: false, tdxEnabled: true });
    await tdx.start();
    expect(h.scheduler.registered.get(tdx.wallet)).toMatchObject({
      teeEnabled: false,
      tdxEnabled: true,
    });
    const java85 = h.worker(1);
    await java85.start();
    expect(h.scheduler.registered.get(java85.wallet)).not.toHaveProperty('tdxEnabled');
  });

  it('refuses to start when requiredWorkerVersion is another version', async () => {
    h.scheduler.config = { ...h.scheduler.config, requiredWorkerVersion: '9.0.0' };
    await expect(h.worker().start()).rejects.toThrow(/requires 9.0.0/);
    expect(h.scheduler.calls).toEqual(['W5']);
  });
});

describe('SimulatedWorker task flow (worker-api.md §7.6, §7.7)', () => {
  it('runs a standard task to COMPLETED, acting on answers and pushed notifications', async () => {
    const worker = h.worker();
    const id = taskId(1);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    expect(statusesPosted(worker.wallet, id)).toEqual(STANDARD_TO_CONTRIBUTED);

    const computed = h.scheduler
      .postsOf(worker.wallet, id)
      .find((p) => p.body.status === S.COMPUTED)!;
    const expected = sealResult(
      simulatedResult(id, HONEST_RESULT_SALT),
      worker.account.address,
      id,
    );
    expect(computed.body.details.computeLogs).toEqual({
      walletAddress: worker.wallet,
      stdout: expect.stringContaining(expected.digest),
      stderr: '',
    });
    const [contribution] = h.chain.contributions;
    expect(contribution).toMatchObject({
      worker: worker.account.address,
      chainTaskId: id,
      resultHash: expected.resultHash,
      resultSeal: expected.resultSeal,
      enclaveSign: '0x',
      authorizationSign: worker.task(id)!.authorization!.signature.value,
    });
    const contributed = h.scheduler.postsOf(worker.wallet, id).at(-1)!;
    expect(contributed.body.details.chainReceipt).toEqual(worker.task(id)!.receipts.contribute);
    await until(() => worker.task(id)!.phase === 'waiting', 1000, 'idle after PLEASE_WAIT');

    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 101 });
    await worker.waitForStatus(id, S.REVEALED);
    expect(h.chain.reveals).toEqual([
      { worker: worker.account.address, chainTaskId: id, resultDigest: expected.digest },
    ]);

    h.push(id, N.PLEASE_UPLOAD, [worker.wallet]);
    await worker.waitForStatus(id, S.RESULT_UPLOADED);
    const stored = h.uploader.results.get(id)!;
    expect(stored.authorization).toEqual(worker.task(id)!.authorization);
    const uploaded = h.scheduler.postsOf(worker.wallet, id).at(-1)!;
    expect(uploaded.body.details).toMatchObject({
      resultLink: stored.link,
      chainCallbackData: null,
    });

    h.push(id, N.PLEASE_COMPLETE, []);
    await worker.waitForStatus(id, S.COMPLETED);
    expect(statusesPosted(worker.wallet, id).slice(10)).toEqual([
      S.REVEALING,
      S.REVEALED,
      S.RESULT_UPLOADING,
      S.RESULT_UPLOADED,
      S.COMPLETING,
      S.COMPLETED,
    ]);
    await until(() => worker.task(id)?.phase === 'completed');
    expect(h.hub.channels[0].topics.has(id)).toBe(false);
    expect(worker.localResults.has(id)).toBe(false);
    const stats = worker.stats.snapshot();
    expect(stats).toMatchObject({ tasksStarted: 1, tasksCompleted: 1, statusPosts: 16 });
    expect(stats.statusesSent).toMatchObject({ COMPLETED: 1, CONTRIBUTED: 1 });
  });

  it('drops an authorization not signed by schedulerPublicAddress without reporting anything', async () => {
    const worker = h.worker();
    const forged = taskId(2);
    h.scheduler.offers.push({
      chainTaskId: forged,
      signer: privateKeyToAccount(generatePrivateKey()),
    });
    const problems: string[] = [];
    worker.on('problem', (p: { kind: string }) => problems.push(p.kind));
    await worker.start();
    await until(() => problems.includes('authorization-rejected'), 2000, 'rejection');
    await sleep(30);
    expect(h.scheduler.postsOf(worker.wallet)).toEqual([]);
    expect(worker.tasks()).toEqual([]);
  });

  it('waits for the push session before posting anything', async () => {
    h.hub.autoConnect = false;
    const worker = h.worker();
    const id = taskId(3);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await until(() => worker.tasks().length === 1, 2000, 'task');
    await sleep(50);
    expect(h.scheduler.posts).toEqual([]);
    h.hub.channels[0].open();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
  });

  it('posts again on undecodable answers, and logs in again on 401', async () => {
    const worker = h.worker();
    const id = taskId(4);
    await worker.start();
    h.scheduler.failNextPosts = { count: 3, status: 503 };
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.waitForStatus(id, S.STARTING);
    expect(h.scheduler.postsOf(worker.wallet, id).map((p) => p.http)).toEqual([503, 503, 503, 200]);
    expect(worker.task(id)!.reports[0]).toEqual({
      status: S.STARTING,
      answer: N.PLEASE_CONTINUE,
      posts: 4,
    });

    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    const logins = h.scheduler.calls.filter((c) => c.startsWith('W2')).length;
    h.scheduler.forgetTokens();
    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 101 });
    await worker.waitForStatus(id, S.REVEALED);
    expect(h.scheduler.calls.filter((c) => c.startsWith('W2')).length).toBe(logins + 1);
    const revealing = h.scheduler.posts.filter((p) => p.body.status === S.REVEALING);
    expect(revealing.map((p) => p.http)).toEqual([401, 200]);
  });

  it('ignores notifications for other wallets; aborts with the mapped cause (posted twice)', async () => {
    const worker = h.worker();
    const id = taskId(5);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    h.push(id, N.PLEASE_REVEAL, [worker.account.address], { blockNumber: 101 }); // checksummed
    h.push(id, N.PLEASE_REVEAL, ['0x0000000000000000000000000000000000000001'], {
      blockNumber: 101,
    });
    await sleep(30);
    expect(statusesPosted(worker.wallet, id)).toEqual(STANDARD_TO_CONTRIBUTED);

    h.push(id, N.PLEASE_ABORT, [], { taskAbortCause: 'CONSENSUS_REACHED' as never });
    await until(() => worker.task(id)?.phase === 'aborted', 2000, 'abort');
    const aborted = h.scheduler
      .postsOf(worker.wallet, id)
      .filter((p) => p.body.status === S.ABORTED);
    expect(aborted.map((p) => [p.http, p.answer])).toEqual([
      [200, undefined],
      [208, N.PLEASE_WAIT],
    ]);
    expect(aborted[0].body.details.cause).toBe('CONSENSUS_REACHED');
    expect(aborted[0].body.success).toBe(false);
    expect(h.hub.channels[0].topics.has(id)).toBe(false);
  });

  it('fails a reveal without consensus block (REVEAL_FAILED, refused) and aborts with UNKNOWN', async () => {
    const worker = h.worker();
    const id = taskId(6);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 0 });
    await until(() => worker.task(id)?.phase === 'aborted', 2000, 'abort');
    const posts = h.scheduler.postsOf(worker.wallet, id).slice(10);
    expect(posts.map((p) => [p.body.status, p.http])).toEqual([
      [S.REVEALING, 200],
      [S.REVEAL_FAILED, 202],
      [S.ABORTED, 200],
      [S.ABORTED, 208],
    ]);
    expect(posts[1].body.details.cause).toBe('CONSENSUS_BLOCK_MISSING');
    expect(posts[2].body.details.cause).toBe('UNKNOWN');
    expect(h.chain.reveals).toEqual([]);
  });

  it('drops a task its node cannot read, without reporting anything (§5.8)', async () => {
    const worker = h.worker();
    const id = taskId(7);
    h.chain.unreadable.add(id);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await until(() => h.scheduler.offers.length === 0, 2000, 'offer taken');
    await sleep(30);
    // dropped at R1 time: nothing reported
    expect(h.scheduler.postsOf(worker.wallet)).toEqual([]);
    expect(worker.stats.snapshot()).toMatchObject({
      tasksDropped: 1,
      errors: { 'task-unreadable': 1 },
    });
  });
});
