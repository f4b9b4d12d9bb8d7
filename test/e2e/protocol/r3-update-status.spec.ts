// R3 `POST /replicates/{chainTaskId}/updateStatus` (worker-api.md §7, §14 items 26–38) with raw
// HTTP against a real scheduler: a standard trust-1 task driven by hand from CREATED to
// COMPLETED, real contribute / reveal transactions and a real upload to the Result Proxy
// stand-in, every outcome row of §7.1 with its exact status code and body.
import { randomBytes } from 'node:crypto';
import { toHex, type Hex } from 'viem';
import { HttpResultUploader } from '../../../devstack/worker/result-uploader.js';
import type { WorkerpoolAuthorization } from '../../../src/chain/workerpool-authorization.js';
import { TaskLogsRepository } from '../../../src/logs/task-logs.repository.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  receiptOf,
  replicateOfNewDeal,
  UP_TO_COMPUTED,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import type { Exchange } from '../../support/services.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

/** The exact R3 answer: quoted JSON enum with its content type, or an empty body. */
function expectAnswer(res: Exchange, httpStatus: number, body?: string): void {
  expect({ status: res.status, text: res.text }).toEqual({
    status: httpStatus,
    text: body === undefined ? '' : `"${body}"`,
  });
  if (body !== undefined) expect(res.contentType).toMatch(/^application\/json/);
}

describe('R3 /replicates/{id}/updateStatus (raw HTTP, real scheduler and chain)', () => {
  let stack: Stack;
  let a: ProtocolWorker;
  let b: ProtocolWorker;
  let taskId: string;
  let authorization: WorkerpoolAuthorization;
  let replicates: ReplicatesListRepository;

  const history = async (wallet = a.wallet, id = taskId) =>
    (await replicates.findByChainTaskId(id))!.replicates.find((r) => r.walletAddress === wallet)!
      .statusUpdateList;
  const statuses = async (wallet?: string, id?: string) =>
    (await history(wallet, id)).map((u) => u.status);

  beforeAll(async () => {
    // The scheduler must not record contributions / reveals on the worker's behalf here.
    stack = await startStack(chain, {
      env: { CRON_DETECTOR_CHAIN_CONTRIBUTE: '60000', CRON_DETECTOR_CHAIN_REVEAL: '60000' },
    });
    replicates = stack.scheduler.get(ReplicatesListRepository);
    a = await ProtocolWorker.start(stack.scheduler, 0);
    b = await ProtocolWorker.start(stack.scheduler, 1);
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      workers: [a.account, b.account],
    });
    taskId = deal.taskIds[0];
    await waitForTaskStatus(stack.scheduler, taskId);
    const res = await eventually(async () => {
      const r = await a.available(await latestBlock(chain));
      return r.status === 200 ? r : undefined;
    });
    authorization = JSON.parse(res.text).workerpoolAuthorization;
    expect(authorization.chainTaskId).toBe(taskId);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('401 with a bad token, 400 for a malformed body, before anything is checked', async () => {
    expectAnswer(await a.updateStatus(taskId, { status: S.STARTING }, 'bad'), 401);
    expectAnswer(await a.updateStatus(taskId, { status: S.STARTING }, null), 401);
    for (const body of [
      { status: 'NOT_A_STATUS' },
      { status: S.STARTING, details: { cause: 'NOT_A_CAUSE' } },
      '{"status": "STARTING"',
    ]) {
      const res = await a.updateStatus(taskId, body);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({
        status: 400,
        error: 'Bad Request',
        path: `/replicates/${taskId}/updateStatus`,
      });
    }
    expect(await statuses()).toEqual([S.CREATED]);
  });

  it('202 PLEASE_ABORT for another worker’s replicate or an unknown task (UNKNOWN_REPLICATE)', async () => {
    expectAnswer(await b.report(taskId, S.STARTING), 202, 'PLEASE_ABORT');
    expectAnswer(await a.report(toHex(randomBytes(32)), S.STARTING), 202, 'PLEASE_ABORT');
    expect(await statuses()).toEqual([S.CREATED]);
    expect((await replicates.findByChainTaskId(taskId))!.replicates).toHaveLength(1);
  });

  it('answers each success step with its next action; unknown properties are ignored', async () => {
    const expected: Record<string, string> = {
      STARTING: 'PLEASE_CONTINUE',
      STARTED: 'PLEASE_DOWNLOAD_APP',
      APP_DOWNLOADING: 'PLEASE_CONTINUE',
      APP_DOWNLOADED: 'PLEASE_DOWNLOAD_DATA',
      DATA_DOWNLOADING: 'PLEASE_CONTINUE',
      DATA_DOWNLOADED: 'PLEASE_COMPUTE',
      COMPUTING: 'PLEASE_CONTINUE',
      COMPUTED: 'PLEASE_CONTRIBUTE',
    };
    const before = Date.now();
    for (const status of UP_TO_COMPUTED) {
      const details =
        status === S.COMPUTED
          ? { computeLogs: { walletAddress: b.wallet, stdout: 'out', stderr: 'err' } }
          : null;
      // A worker that lies about the modifier and the date: both are overwritten.
      const res = await a.updateStatus(taskId, {
        status,
        modifier: 'POOL_MANAGER',
        date: '2001-01-01T00:00:00.000+00:00',
        details,
        success: true,
        somethingElse: 42,
      });
      expectAnswer(res, 200, expected[status]);
    }
    const stored = await history();
    expect(stored.map((u) => u.status)).toEqual([S.CREATED, ...UP_TO_COMPUTED]);
    for (const update of stored.slice(1)) {
      expect(update.modifier).toBe('WORKER');
      expect(update.date.getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    // Compute logs went to taskLogs, under the caller's wallet whatever the body said.
    expect(stored.at(-1)!.details?.computeLogs).toBeUndefined();
    const logs = await stack.scheduler.get(TaskLogsRepository).findByChainTaskId(taskId);
    expect(logs!.computeLogsList).toEqual([
      expect.objectContaining({ walletAddress: a.wallet, stdout: 'out', stderr: 'err' }),
    ]);
    const replicate = (await replicates.findByChainTaskId(taskId))!.replicates[0];
    expect(replicate.appComputeLogsPresent).toBe(true);
  });

  it('208 for a status already in the history: the current one gets its next action again, an older one PLEASE_WAIT', async () => {
    // Deviation (docs/compatibility.md): a worker that lost the first answer is not stranded.
    expectAnswer(await a.report(taskId, S.COMPUTED), 208, 'PLEASE_CONTRIBUTE');
    expectAnswer(await a.report(taskId, S.STARTING), 208, 'PLEASE_WAIT');
    expect(await statuses()).toEqual([S.CREATED, ...UP_TO_COMPUTED]);
  });

  it('refuses CONTRIBUTE_FAILED always, and CONTRIBUTED until the chain shows it (GENERIC_CANT_UPDATE)', async () => {
    expectAnswer(await a.report(taskId, S.CONTRIBUTING), 200, 'PLEASE_CONTINUE');
    expectAnswer(
      await a.report(taskId, S.CONTRIBUTE_FAILED, { cause: 'CHAIN_UNREACHABLE' }),
      202,
      'PLEASE_ABORT',
    );
    // A worker cannot lie about the chain: nothing contributed yet.
    const claim = { chainReceipt: { blockNumber: await latestBlock(chain), txHash: '0x' } };
    expectAnswer(await a.report(taskId, S.CONTRIBUTED, claim), 202, 'PLEASE_ABORT');
    expect((await statuses()).at(-1)).toBe(S.CONTRIBUTING);
    expect(await statuses()).not.toContain(S.FAILED);

    const tx = await chain.fixtures.contribute(
      a.account,
      taskId as Hex,
      digestOf(taskId),
      authorization.signature.value,
    );
    expectAnswer(await a.report(taskId, S.CONTRIBUTED, receiptOf(tx)), 200, 'PLEASE_WAIT');
    const replicate = (await replicates.findByChainTaskId(taskId))!.replicates[0];
    expect(replicate.contributionHash).toBe(tx.resultHash);
    expect(replicate.workerWeight).toBeGreaterThan(0);
  });

  it('202 for CONTRIBUTED → REVEALED (BAD_WORKFLOW_TRANSITION), even when revealed on chain', async () => {
    await waitForTaskStatus(stack.scheduler, taskId, [TaskStatus.CONSENSUS_REACHED]);
    const tx = await chain.fixtures.reveal(a.account, taskId as Hex, digestOf(taskId));
    expectAnswer(await a.report(taskId, S.REVEALED, receiptOf(tx)), 202, 'PLEASE_ABORT');
    expect((await statuses()).at(-1)).toBe(S.CONTRIBUTED);
  });

  it('10 parallel identical REVEALED reports leave exactly one REVEALED', async () => {
    expectAnswer(await a.report(taskId, S.REVEALING), 200, 'PLEASE_CONTINUE');
    const block = await latestBlock(chain);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        a.report(taskId, S.REVEALED, { chainReceipt: { blockNumber: block, txHash: '0x' } }),
      ),
    );
    expect(answers.map((r) => `${r.status} ${r.text}`).sort()).toEqual([
      '200 "PLEASE_WAIT"',
      ...Array(9).fill('208 "PLEASE_WAIT"'),
    ]);
    expect((await statuses()).filter((s) => s === S.REVEALED)).toHaveLength(1);
  });

  it('[deviation] REVEAL_FAILED after REVEALED (a PLEASE_REVEAL run twice): 208 PLEASE_WAIT, not abort', async () => {
    const before = await statuses();
    expectAnswer(
      await a.report(taskId, S.REVEAL_FAILED, { cause: 'CHAIN_UNREACHABLE' }),
      208,
      'PLEASE_WAIT',
    );
    expect(await statuses()).toEqual(before);
  });

  it('refuses RESULT_UPLOADED without an upload or without a result link, then completes', async () => {
    await eventually(async () => (await statuses()).includes(S.RESULT_UPLOAD_REQUESTED));
    expectAnswer(await a.report(taskId, S.RESULT_UPLOADING), 200, 'PLEASE_CONTINUE');
    const link = '/ipfs/QmNotUploaded';
    expectAnswer(
      await a.report(taskId, S.RESULT_UPLOADED, { resultLink: link }),
      202,
      'PLEASE_ABORT',
    );

    const uploaded = await new HttpResultUploader().upload(
      taskId,
      authorization,
      new TextEncoder().encode('result'),
      {
        account: a.account,
        wallet: a.wallet,
        resultRepositoryUrl: stack.services.resultProxy.url,
        resultDigest: digestOf(taskId),
      },
    );
    expectAnswer(
      await a.report(taskId, S.RESULT_UPLOADED, { resultLink: null }),
      202,
      'PLEASE_ABORT',
    );
    expectAnswer(
      await a.report(taskId, S.RESULT_UPLOADED, { resultLink: uploaded }),
      200,
      'PLEASE_WAIT',
    );

    await waitForTaskStatus(stack.scheduler, taskId, [TaskStatus.COMPLETED], 20000);
    expectAnswer(await a.report(taskId, S.COMPLETING), 200, 'PLEASE_CONTINUE');
    expectAnswer(await a.report(taskId, S.COMPLETED), 200, 'PLEASE_WAIT');
  });

  it('COMPUTE_FAILED (APP_COMPUTE_FAILED) keeps the last 100 000 characters of the logs; ABORTED: 200 empty, then 208', async () => {
    const other = await replicateOfNewDeal(chain, stack.scheduler, stack.workerpool, b);
    await b.reportAll(other, UP_TO_COMPUTED.slice(0, -1));
    const stdout = `${'x'.repeat(10)}${'y'.repeat(100_000)}`;
    const failed = await b.report(other, S.COMPUTE_FAILED, {
      cause: 'APP_COMPUTE_FAILED',
      exitCode: 1,
      computeLogs: { walletAddress: a.wallet, stdout, stderr: 'boom' },
    });
    expectAnswer(failed, 200, 'PLEASE_ABORT');
    const logs = await stack.scheduler.get(TaskLogsRepository).findByChainTaskId(other);
    expect(logs!.computeLogsList).toHaveLength(1);
    expect(logs!.computeLogsList[0]).toMatchObject({ walletAddress: b.wallet, stderr: 'boom' });
    expect(logs!.computeLogsList[0].stdout).toBe('y'.repeat(100_000));
    const stored = (await history(b.wallet, other)).at(-1)!;
    expect(stored.details).toMatchObject({ cause: 'APP_COMPUTE_FAILED', exitCode: 1 });
    expect(stored.details?.computeLogs).toBeUndefined();
    // The slot was freed (COMPUTE_FAILED), the worker aborts as told.
    expect(await (await b.client.computing(b.token)).json()).toEqual([]);
    expectAnswer(await b.report(other, S.ABORTED, { cause: 'ABORTED_BY_WORKER' }), 200);
    expectAnswer(
      await b.report(other, S.ABORTED, { cause: 'ABORTED_BY_WORKER' }),
      208,
      'PLEASE_WAIT',
    );
    expect((await statuses(b.wallet, other)).slice(-2)).toEqual([S.COMPUTE_FAILED, S.ABORTED]);
  });

  it('[deviation] COMPUTED right after CREATED (progress reports a crash lost): accepted, the progress filled in', async () => {
    const other = await replicateOfNewDeal(chain, stack.scheduler, stack.workerpool, a);
    // The progress statuses are not refused when they were lost; a skipped COMPUTED still is.
    expectAnswer(await a.report(other, S.CONTRIBUTING), 202, 'PLEASE_ABORT');
    expectAnswer(await a.report(other, S.COMPUTED), 200, 'PLEASE_CONTRIBUTE');
    const stored = await history(a.wallet, other);
    expect(stored.map((u) => [u.status, u.modifier])).toEqual([
      [S.CREATED, 'POOL_MANAGER'],
      ...UP_TO_COMPUTED.slice(0, -1).map((status) => [status, 'POOL_MANAGER']),
      [S.COMPUTED, 'WORKER'],
    ]);
    // The computing slot was freed as for any COMPUTED.
    expect(await (await a.client.computing(a.token)).json()).toEqual([]);
  });
});
