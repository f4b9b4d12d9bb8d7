// R1 `GET /replicates/available` (worker-api.md §5, §14 items 11–17) against a real scheduler on
// the dev chain, with raw HTTP: registered workers logged in through the real W1 + W2.
import { zeroAddress, type Hex } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { startSms, type SmsStandIn } from '../../../devstack/services/index.js';
import { isWorkerpoolAuthorizationSignedBy } from '../../../src/chain/workerpool-authorization.js';
import { ChainContributionStatus } from '../../../src/chain/chain-status.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  shapeOf,
  sleep,
  UP_TO_COMPUTED,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually, RunningScheduler, startScheduler } from '../../support/scheduler.js';
import { exchange, sharedDealSetup } from '../../support/services.js';
import { workerHeaders } from '../../support/worker-client.js';

const chain = testChain();
isolateChainPerFile(chain);
const deals = sharedDealSetup(
  chain,
  Array.from({ length: 9 }, (_, i) => workerAccount(i)),
);

/** Throttle window: a demand is refused when (now − last) + 500 ms ≤ 1000 ms. */
const ASK_PERIOD_MS = 1000;
const AFTER_THROTTLE_MS = 520;
/** The supply reads its candidate tasks at most every 500 ms. */
const CANDIDATES_TTL_MS = 550;
const UNFUNDED_WORKER = 60;

describe('R1 /replicates/available (raw HTTP, real scheduler and chain)', () => {
  let scheduler: RunningScheduler;
  let sms: SmsStandIn;
  let smsTdx: SmsStandIn;
  let replicates: ReplicatesListRepository;

  beforeAll(async () => {
    sms = await startSms({ framework: 'SCONE', deployment: chain.deployment, port: 0 });
    smsTdx = await startSms({ framework: 'TDX', deployment: chain.deployment, port: 0 });
    scheduler = await startScheduler(chain, deals().workerpool!, {
      env: {
        IEXEC_ASK_REPLICATE_PERIOD: String(ASK_PERIOD_MS),
        SMS_SCONE: sms.url,
        SMS_TDX: smsTdx.url,
      },
    });
    replicates = scheduler.get(ReplicatesListRepository);
  });
  afterAll(async () => {
    await scheduler?.close();
    await sms?.stop();
    await smsTdx?.stop();
  });

  /** A new deal of this workerpool, its first task INITIALIZED and in the supply's candidates. */
  async function offeredTask(options: Parameters<typeof chain.fixtures.createDeal>[0] = {}) {
    const deal = await chain.fixtures.createDeal({ ...deals(), fund: false, ...options });
    await waitForTaskStatus(scheduler, deal.taskIds[0]);
    await sleep(CANDIDATES_TTL_MS);
    return deal;
  }

  const replicatesOf = async (taskId: string) =>
    (await replicates.findByChainTaskId(taskId))?.replicates ?? [];

  it('answers 401 with an empty body without a token or with a bad one', async () => {
    const worker = await ProtocolWorker.start(scheduler, 0);
    for (const token of [null, 'not-a-jwt', `${worker.token}x`]) {
      const res = await worker.available(1, token);
      expect(res.status).toBe(401);
      expect(res.text).toBe('');
    }
    const notBearer = await fetch(`${scheduler.baseUrl}/replicates/available?blockNumber=1`, {
      headers: { authorization: `Token ${worker.token}` },
    });
    expect(notBearer.status).toBe(401);
  });

  it('answers 400 for a missing or non-numeric blockNumber (R1 and R2)', async () => {
    const worker = await ProtocolWorker.start(scheduler, 0);
    for (const query of [
      '',
      '?blockNumber=',
      '?blockNumber=abc',
      '?blockNumber=1.5',
      '?blockNumber=1.0',
      '?blockNumber=1e3',
    ]) {
      for (const path of ['available', 'interrupted']) {
        const res = await exchange('GET', `${scheduler.baseUrl}/replicates/${path}${query}`, {
          headers: workerHeaders(worker.token),
        });
        expect([path, query, res.status]).toEqual([path, query, 400]);
        expect(JSON.parse(res.text)).toMatchObject({ status: 400, error: 'Bad Request' });
      }
    }
  });

  it('answers 204 with an empty body when there is nothing to do', async () => {
    const worker = await ProtocolWorker.start(scheduler, 1);
    const res = await worker.available(await latestBlock(chain));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('answers 200 with exactly a ReplicateTaskSummary whose authorization PoCo accepts', async () => {
    // The wallet string is echoed verbatim: present it in upper case (a valid address for the
    // chain, whatever its casing) to make that visible.
    const account = workerAccount(2);
    const wallet = `0x${account.address.slice(2).toUpperCase()}`;
    const worker = await ProtocolWorker.start(scheduler, 2, { wallet });
    const deal = await offeredTask();
    const taskId = deal.taskIds[0];

    const res = await worker.available(await latestBlock(chain));
    expect(res.status).toBe(200);
    expect(res.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(res.text);
    expect(shapeOf(body)).toEqual({
      workerpoolAuthorization: {
        chainTaskId: 'string',
        workerWallet: 'string',
        enclaveChallenge: 'string',
        signature: { value: 'string' },
      },
      smsUrl: 'null',
    });
    const auth = body.workerpoolAuthorization;
    expect(auth).toEqual({
      chainTaskId: taskId,
      workerWallet: wallet,
      enclaveChallenge: zeroAddress,
      signature: { value: expect.stringMatching(/^0x[0-9a-f]{130}$/) },
    });
    expect(isWorkerpoolAuthorizationSignedBy(auth, chain.roles.scheduler.address)).toBe(true);

    // PoCo takes it: a real contribution with this signature.
    await worker.reportAll(taskId, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
    const tx = await chain.fixtures.contribute(
      account,
      taskId,
      digestOf(taskId),
      auth.signature.value as Hex,
    );
    const contribution = await chain.fixtures.viewContribution(taskId, account.address);
    expect(contribution.status).toBe(ChainContributionStatus.CONTRIBUTED);

    const [replicate] = await replicatesOf(taskId);
    expect(replicate.walletAddress).toBe(wallet);
    expect(replicate.workerWeight).toBeGreaterThan(0); // its on-chain score was read
    expect(replicate.statusUpdateList[0]).toMatchObject({
      status: S.CREATED,
      modifier: 'POOL_MANAGER',
    });
    // The worker never reports it: the scheduler finds this wallet's contribution on chain.
    const found = await eventually(async () => {
      const [r] = await replicatesOf(taskId);
      return r.statusUpdateList.find((u) => u.status === S.CONTRIBUTED);
    }, 5000);
    expect(found.modifier).toBe('POOL_MANAGER');
    expect(found.details?.chainReceipt?.blockNumber).toBe(Number(tx.receipt.blockNumber));
  });

  it('throttles: a demand within askForReplicatePeriod gets 204 and changes nothing', async () => {
    const worker = await ProtocolWorker.start(scheduler, 3);
    const deal = await offeredTask();
    const taskId = deal.taskIds[0];
    const block = await latestBlock(chain);
    // Accepted demand (recorded) that gets nothing: blockNumber 0. Times below are counted from
    // its answer, which comes after the server recorded it.
    expect((await worker.available(0)).status).toBe(204);
    const answered = Date.now();
    // Throttled while the task is on offer: no replicate, and the demand time is not moved.
    await sleep(200);
    expect((await worker.available(block)).status).toBe(204);
    expect(await replicatesOf(taskId)).toHaveLength(0);
    // > 500 ms after the first demand, < 500 ms after the throttled one: accepted.
    await sleep(Math.max(0, answered + AFTER_THROTTLE_MS - Date.now()));
    const res = await worker.available(await latestBlock(chain));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).workerpoolAuthorization.chainTaskId).toBe(taskId);
  });

  it('gives nothing for blockNumber 0, to an unregistered worker, nor to a worker without gas', async () => {
    const deal = await offeredTask();
    const taskId = deal.taskIds[0];
    const worker = await ProtocolWorker.start(scheduler, 4);
    const unregistered = await ProtocolWorker.start(scheduler, 5, { register: false });
    // Beyond the funded dev accounts: no native currency to pay a contribution.
    const broke = await ProtocolWorker.start(scheduler, UNFUNDED_WORKER);
    expect(await chain.clients.publicClient.getBalance({ address: broke.account.address })).toBe(
      0n,
    );

    expect((await worker.available(0)).status).toBe(204);
    for (const w of [unregistered, broke]) {
      const res = await w.available(await latestBlock(chain));
      expect([res.status, res.text]).toEqual([204, '']);
    }
    expect(await replicatesOf(taskId)).toHaveLength(0);

    // The task was on offer all along.
    await sleep(AFTER_THROTTLE_MS);
    const taken = await worker.available(await latestBlock(chain));
    expect(taken.status).toBe(200);
    expect(JSON.parse(taken.text).workerpoolAuthorization.chainTaskId).toBe(taskId);
  });

  it('never gives a worker the same task twice, even after its replicate failed', async () => {
    // Trust 3: one replicate of weight 2 is not enough, the task stays on offer.
    const deal = await offeredTask({ trust: 3 });
    const taskId = deal.taskIds[0];
    const a = await ProtocolWorker.start(scheduler, 6);
    const b = await ProtocolWorker.start(scheduler, 7);
    const c = await ProtocolWorker.start(scheduler, 5);
    const taken = async (w: ProtocolWorker) => {
      const res = await w.available(await latestBlock(chain));
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).workerpoolAuthorization.chainTaskId).toBe(taskId);
    };
    await taken(a);
    await sleep(AFTER_THROTTLE_MS);
    expect((await a.available(await latestBlock(chain))).status).toBe(204);
    await taken(b);
    // A's replicate fails: it no longer counts, the task is on offer again, but not to A.
    expect((await a.report(taskId, S.FAILED)).status).toBe(200);
    await sleep(AFTER_THROTTLE_MS);
    expect((await a.available(await latestBlock(chain))).status).toBe(204);
    await taken(c);
    expect((await replicatesOf(taskId)).map((r) => r.walletAddress)).toEqual([
      a.wallet,
      b.wallet,
      c.wallet,
    ]);
  });

  it('respects capacity: a 1-CPU worker gets a second task only once COMPUTED frees its slot', async () => {
    const worker = await ProtocolWorker.start(scheduler, 8, { register: { cpuNb: 1 } });
    const deal = await offeredTask({ volume: 2 });
    const first = await worker.available(await latestBlock(chain));
    expect(first.status).toBe(200);
    const firstTask = JSON.parse(first.text).workerpoolAuthorization.chainTaskId as string;
    expect(deal.taskIds).toContain(firstTask);
    const secondTask = deal.taskIds.find((id) => id !== firstTask)!;
    await waitForTaskStatus(scheduler, secondTask);
    await sleep(CANDIDATES_TTL_MS);

    // Full: nothing, although the other task is on offer.
    expect((await worker.available(await latestBlock(chain))).status).toBe(204);
    expect(await replicatesOf(secondTask)).toHaveLength(0);
    expect(await (await worker.client.computing(worker.token)).json()).toEqual([firstTask]);

    await worker.reportAll(firstTask, UP_TO_COMPUTED);
    expect(await (await worker.client.computing(worker.token)).json()).toEqual([]);
    await sleep(AFTER_THROTTLE_MS);
    const second = await worker.available(await latestBlock(chain));
    expect(second.status).toBe(200);
    expect(JSON.parse(second.text).workerpoolAuthorization.chainTaskId).toBe(secondTask);
  });

  it('does not offer a TEE task to a non-TEE worker; a TEE worker gets it with its SMS', async () => {
    const deal = await offeredTask({ tag: 3 });
    const taskId = deal.taskIds[0];
    // Workers 0 and 1 hold no task: one registers without TEE, the other with.
    const plain = await ProtocolWorker.start(scheduler, 0);
    const tee = await ProtocolWorker.start(scheduler, 1, { register: { teeEnabled: true } });
    await sleep(AFTER_THROTTLE_MS);

    expect((await plain.available(await latestBlock(chain))).status).toBe(204);
    expect(await replicatesOf(taskId)).toHaveLength(0);
    const res = await tee.available(await latestBlock(chain));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.smsUrl).toBe(sms.url);
    const enclave = sms.enclaveAccount(taskId)!.address.toLowerCase();
    expect(body.workerpoolAuthorization).toMatchObject({
      chainTaskId: taskId,
      workerWallet: tee.wallet,
      enclaveChallenge: enclave,
    });
    expect(
      isWorkerpoolAuthorizationSignedBy(
        body.workerpoolAuthorization,
        chain.roles.scheduler.address,
      ),
    ).toBe(true);
  });

  it('offers a TDX task (tag 0x…09) to a tdxEnabled worker only, with the TDX SMS (iexec-core 9.2)', async () => {
    const deal = await offeredTask({ tag: 9 });
    const taskId = deal.taskIds[0];
    // Worker 0 holds no task: first SGX only (as an 8.5 TEE worker), then TDX only (as 9.x).
    const sgx = await ProtocolWorker.start(scheduler, 0, { register: { teeEnabled: true } });
    await sleep(AFTER_THROTTLE_MS);
    expect((await sgx.available(await latestBlock(chain))).status).toBe(204);
    expect(await replicatesOf(taskId)).toHaveLength(0);

    const tdx = await ProtocolWorker.start(scheduler, 0, {
      register: { teeEnabled: false, tdxEnabled: true },
    });
    await sleep(AFTER_THROTTLE_MS);
    const res = await tdx.available(await latestBlock(chain));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body.smsUrl).toBe(smsTdx.url);
    expect(body.workerpoolAuthorization).toMatchObject({
      chainTaskId: taskId,
      workerWallet: tdx.wallet,
      enclaveChallenge: smsTdx.enclaveAccount(taskId)!.address.toLowerCase(),
    });
  });
});

// The blockchain health gate (§5.1, §7.1, §10.4): a scheduler whose chain node cannot be reached
// is OUT_OF_SERVICE; R1 and R3 then answer 503 after authentication, R2 has no gate. (The
// transition from a node that stops is in test/e2e/health/actuator.spec.ts.)
describe('R1 and R3 while out of service', () => {
  it('answer 401 first without a valid token, then 503; R2 and the rest still answer', async () => {
    const scheduler = await startScheduler(chain, `0x${'11'.repeat(20)}`, {
      env: { IEXEC_PRIVATE_CHAIN_ADDRESS: 'http://127.0.0.1:9' },
    });
    try {
      await eventually(
        async () => (await fetch(`${scheduler.baseUrl}/actuator/health`)).status === 503,
        10000,
        'OUT_OF_SERVICE',
      );
      const worker = await ProtocolWorker.start(scheduler, 0);
      for (const token of [null, 'bad']) {
        expect((await worker.available(1, token)).status).toBe(401);
        expect((await worker.updateStatus('0x01', { status: S.STARTING }, token)).status).toBe(401);
      }
      const available = await worker.available(1);
      expect([available.status, available.text]).toEqual([503, '']);
      const update = await worker.report(`0x${'ab'.repeat(32)}`, S.STARTING);
      expect([update.status, update.text]).toEqual([503, '']);
      const interrupted = await worker.interrupted(1);
      expect([interrupted.status, interrupted.text]).toEqual([200, '[]']);
      expect((await worker.client.ping(worker.token)).status).toBe(200);
    } finally {
      await scheduler.close();
    }
  });
});
