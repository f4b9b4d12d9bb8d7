import { keccak256, recoverMessageAddress, encodePacked, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import {
  combine,
  computeFails,
  crashAfter,
  neverReveal,
  parseBehaviour,
  slow,
  wrongResult,
} from '../../../devstack/worker/behaviours.js';
import { LocalEnclaveSigner } from '../../../devstack/worker/enclave-signer.js';
import {
  HONEST_RESULT_SALT,
  resultLinkBytes,
  sealResult,
  simulatedResult,
  web3ResultLink,
} from '../../../devstack/worker/result.js';
import { signWorkerpoolAuthorization } from '../../../src/chain/workerpool-authorization.js';
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
let h: Harness;
beforeEach(() => (h = harness()));
afterEach(() => h.stopAll());

const statusesPosted = (wallet: string, chainTaskId: string) =>
  h.scheduler.postsOf(wallet, chainTaskId).map((p) => p.body.status);

describe('behaviour specs', () => {
  it('parses and combines behaviours', () => {
    expect(parseBehaviour('').name).toBe('honest');
    expect(parseBehaviour('slow:2000+crashAfter:CONTRIBUTED').name).toBe(
      'slow(2000)+crashAfter(CONTRIBUTED)',
    );
    expect(() => parseBehaviour('crashAfter:NOPE')).toThrow(/unknown status/);
    expect(() => parseBehaviour('fly')).toThrow(/unknown behaviour/);
    const ctx = { wallet: '0xabc', chainTaskId: '0x01' };
    const both = combine(slow(10), slow(5), wrongResult({ salt: 'x' }), neverReveal());
    expect(both.stepDelayMs!(N.PLEASE_COMPUTE, ctx)).toBe(15);
    expect(both.resultSalt!(ctx)).toBe('x');
    expect(both.accepts!(N.PLEASE_REVEAL, ctx)).toBe(false);
    expect(both.accepts!(N.PLEASE_CONTRIBUTE, ctx)).toBe(true);
    const once = crashAfter(S.COMPUTED);
    expect(once.afterReport!(S.COMPUTING, ctx)).toBeUndefined();
    expect(once.afterReport!(S.COMPUTED, ctx)).toBe('crash');
    expect(once.afterReport!(S.COMPUTED, ctx)).toBeUndefined();
  });
});

describe('misbehaving workers', () => {
  it('wrongResult contributes another digest than the honest worker', async () => {
    const honest = h.worker(0);
    const liar = h.worker(1, { behaviour: wrongResult() });
    const id = taskId(10);
    h.scheduler.offers.push({ chainTaskId: id, wallet: honest.wallet });
    h.scheduler.offers.push({ chainTaskId: id, wallet: liar.wallet });
    await Promise.all([honest.start(), liar.start()]);
    await Promise.all([
      honest.waitForStatus(id, S.CONTRIBUTED, 5000),
      liar.waitForStatus(id, S.CONTRIBUTED, 5000),
    ]);
    const byWorker = new Map(h.chain.contributions.map((c) => [c.worker, c.resultHash]));
    const honestHash = sealResult(
      simulatedResult(id, HONEST_RESULT_SALT),
      honest.account.address,
      id,
    ).resultHash;
    expect(byWorker.get(honest.account.address)).toBe(honestHash);
    expect(byWorker.get(liar.account.address)).not.toBe(honestHash);
  });

  it('computeFails reports COMPUTE_FAILED with APP_COMPUTE_FAILED, exit code and logs', async () => {
    const worker = h.worker(0, { behaviour: computeFails() });
    const id = taskId(11);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await until(() => worker.task(id)?.phase === 'aborted', 3000, 'abort');
    const failed = h.scheduler
      .postsOf(worker.wallet, id)
      .find((p) => p.body.status === S.COMPUTE_FAILED)!;
    expect(failed.body.success).toBe(false);
    expect(failed.body.details).toMatchObject({
      cause: 'APP_COMPUTE_FAILED',
      exitCode: 1,
      computeLogs: { walletAddress: worker.wallet, stderr: 'simulated app: failure\n' },
    });
    expect(failed.answer).toBe(N.PLEASE_ABORT);
    expect(statusesPosted(worker.wallet, id).slice(-3)).toEqual([
      S.COMPUTE_FAILED,
      S.ABORTED,
      S.ABORTED,
    ]);
    expect(h.chain.contributions).toEqual([]);
  });

  it('neverReveal ignores PLEASE_REVEAL', async () => {
    const worker = h.worker(0, { behaviour: neverReveal() });
    const id = taskId(12);
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 101 });
    await sleep(40);
    expect(statusesPosted(worker.wallet, id).at(-1)).toBe(S.CONTRIBUTED);
    expect(h.chain.reveals).toEqual([]);
  });

  it('slow makes every step last the given time', async () => {
    const worker = h.worker(0, { behaviour: slow(40) });
    const id = taskId(13);
    h.scheduler.offers.push({ chainTaskId: id });
    const started = Date.now();
    await worker.start();
    await worker.waitForStatus(id, S.STARTED, 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 40);
  });

  it('crashAfter(CONTRIBUTED) stops everything; restart() recovers the task through R2', async () => {
    const worker = h.worker(0, { behaviour: crashAfter(S.CONTRIBUTED) });
    const id = taskId(14);
    h.scheduler.offers.push({ chainTaskId: id });
    const crashed = new Promise((resolve) => worker.once('crashed', resolve));
    await worker.start();
    await crashed;
    expect(worker.state).toBe('crashed');
    const postsAtCrash = h.scheduler.posts.length;
    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 101 });
    await sleep(40);
    expect(h.scheduler.posts.length).toBe(postsAtCrash);
    expect(h.hub.channels[0].closed).toBe(true);

    // the scheduler answers R2 with PLEASE_REVEAL (and one task the worker has no result for)
    const authorization = await signWorkerpoolAuthorization(h.schedulerKey, {
      chainTaskId: id,
      workerWallet: worker.wallet,
      enclaveChallenge: '0x0000000000000000000000000000000000000000',
    });
    const extra = { workerpoolAuthorization: authorization, smsUrl: null, taskAbortCause: null };
    h.scheduler.interruptedFor.set(worker.wallet, [
      {
        chainTaskId: id,
        workersAddress: [worker.wallet],
        taskNotificationType: N.PLEASE_REVEAL,
        taskNotificationExtra: { ...extra, blockNumber: 101 },
      },
      {
        chainTaskId: taskId(99),
        workersAddress: [worker.wallet],
        taskNotificationType: N.PLEASE_CONTRIBUTE,
        taskNotificationExtra: { ...extra, blockNumber: 0 },
      },
    ]);
    await worker.restart();
    await worker.waitForStatus(id, S.REVEALED);
    expect(h.chain.reveals.map((r) => r.chainTaskId)).toEqual([id]);
    expect(h.hub.channels[1].topics.has(id)).toBe(true);
    expect(worker.task(taskId(99))).toBeUndefined();
    expect(worker.stats.snapshot()).toMatchObject({ crashes: 1, tasksDropped: 1 });
  });
});

describe('restart, results and TEE', () => {
  it('restarts gracefully when the ping fingerprint changes, once nothing is computing', async () => {
    const worker = h.worker();
    await worker.start();
    await until(() => h.scheduler.calls.some((c) => c.startsWith('W3')), 2000, 'ping');
    h.scheduler.computingFor.set(worker.wallet, [taskId(1)]);
    h.scheduler.fingerprint = '0xF2';
    await until(() => h.scheduler.calls.some((c) => c.startsWith('W6')), 2000, 'W6');
    expect(h.scheduler.calls.filter((c) => c === 'W5')).toHaveLength(1); // postponed
    const restarted = new Promise((resolve) => worker.once('restarting', resolve));
    h.scheduler.computingFor.set(worker.wallet, []);
    await restarted;
    await until(() => h.scheduler.calls.filter((c) => c === 'W5').length === 2, 2000, 'W5 again');
    await until(() => worker.state === 'running', 2000, 'running');
    // same fingerprint with another casing: no further restart
    h.scheduler.fingerprint = '0xf2';
    await sleep(60);
    expect(h.scheduler.calls.filter((c) => c === 'W5')).toHaveLength(2);
  });

  it('reports the callback data of callback deals (digest = keccak256 of it), uploading nothing', async () => {
    const worker = h.worker();
    const id = taskId(15);
    const callback = '0x2222222222222222222222222222222222222222';
    h.chain.facts.set(id, { callback });
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 5000);
    h.push(id, N.PLEASE_REVEAL, [worker.wallet], { blockNumber: 101 });
    h.push(id, N.PLEASE_UPLOAD, [worker.wallet]);
    await worker.waitForStatus(id, S.RESULT_UPLOADED);
    const details = h.scheduler.postsOf(worker.wallet, id).at(-1)!.body.details;
    const callbackData = details.chainCallbackData as Hex;
    expect(callbackData).toBe(simulatedResult(id, HONEST_RESULT_SALT, callback).callbackData);
    expect(h.chain.reveals[0].resultDigest).toBe(keccak256(callbackData));
    expect(details.resultLink).toBe(web3ResultLink(callback));
    expect(h.uploader.results.size).toBe(0);
  });

  it('contributes-and-finalizes a TEE task with the enclave signature', async () => {
    const enclave = privateKeyToAccount(generatePrivateKey());
    const worker = h.worker(0, { enclaveSigner: new LocalEnclaveSigner(enclave) });
    const id = taskId(16);
    h.chain.facts.set(id, { isTee: true, tag: `0x${'00'.repeat(31)}03` });
    h.scheduler.offers.push({
      chainTaskId: id,
      enclaveChallenge: enclave.address,
      smsUrl: 'http://sms.invalid',
      contributeAndFinalize: true,
    });
    await worker.start();
    expect(h.scheduler.registered.get(worker.wallet)!.teeEnabled).toBe(true);
    await worker.waitForStatus(id, S.CONTRIBUTE_AND_FINALIZE_DONE, 5000);
    expect(statusesPosted(worker.wallet, id).slice(-3)).toEqual([
      S.COMPUTED,
      S.CONTRIBUTE_AND_FINALIZE_ONGOING,
      S.CONTRIBUTE_AND_FINALIZE_DONE,
    ]);
    const [tx] = h.chain.finalized;
    const link = h.uploader.results.get(id)!.link;
    expect(tx).toMatchObject({ enclaveChallenge: enclave.address, results: resultLinkBytes(link) });
    const signer = await recoverMessageAddress({
      message: {
        raw: keccak256(encodePacked(['bytes32', 'bytes32'], [tx.resultHash, tx.resultSeal])),
      },
      signature: tx.enclaveSign,
    });
    expect(signer).toBe(enclave.address);
    const done = h.scheduler.postsOf(worker.wallet, id).at(-1)!.body.details;
    expect(done).toMatchObject({ resultLink: link, chainCallbackData: null });
    expect(done.chainReceipt).toEqual(worker.task(id)!.receipts.contributeAndFinalize);
    expect(worker.task(id)!.smsUrl).toBe('http://sms.invalid');
  });

  it('fails START for a TEE task without enclave signer (TEE_NOT_SUPPORTED)', async () => {
    const worker = h.worker();
    const id = taskId(17);
    h.chain.facts.set(id, { isTee: true });
    h.scheduler.offers.push({ chainTaskId: id });
    await worker.start();
    await until(() => worker.task(id)?.phase === 'aborted', 3000, 'abort');
    const failed = h.scheduler.postsOf(worker.wallet, id)[1];
    expect([failed.body.status, failed.body.details.cause]).toEqual([
      S.START_FAILED,
      'TEE_NOT_SUPPORTED',
    ]);
  });

  it("'pingAndAsk' mode only pings and asks", async () => {
    const worker = h.worker(0, { mode: 'pingAndAsk' });
    h.scheduler.offers.push({ chainTaskId: taskId(18) });
    await worker.start();
    await until(() => h.scheduler.offers.length === 0, 2000, 'offer taken');
    await until(() => h.scheduler.calls.some((c) => c.startsWith('W3')), 2000, 'ping');
    await sleep(20);
    expect(h.scheduler.posts).toEqual([]);
    expect(worker.stats.snapshot().tasksStarted).toBe(1);
  });
});
