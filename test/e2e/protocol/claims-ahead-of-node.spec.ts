// Workers run their own nodes, often blocks ahead of the scheduler's (issue 16 §1). Here the
// scheduler reads the chain through the fault proxy, lagging 40 blocks behind the node the
// worker sends its transactions to: an honest CONTRIBUTED / REVEALED is held until our node
// shows it, or answered 503 (the worker posts it again), never PLEASE_ABORT.
import type { Hex } from 'viem';
import { startRpcFaultProxy, type RpcFaultProxy } from '../../../devstack/chain/rpc-fault-proxy.js';
import type { WorkerpoolAuthorization } from '../../../src/chain/workerpool-authorization.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import {
  digestOf,
  latestBlock,
  ProtocolWorker,
  receiptOf,
  UP_TO_COMPUTED,
  sleep,
  waitForTaskStatus,
} from '../../support/protocol-worker.js';
import { eventually } from '../../support/scheduler.js';
import { exchange } from '../../support/services.js';
import { startStack, Stack } from '../../support/stack.js';

const chain = testChain();
isolateChainPerFile(chain);

const LAG = 40; // the claimed block is 20 blocks past our head: Java refused at 10
const HOLD_MS = 3000;

describe('claims ahead of the scheduler’s node', () => {
  let proxy: RpcFaultProxy;
  let stack: Stack;
  let worker: ProtocolWorker;
  let replicates: ReplicatesListRepository;

  const statuses = async (chainTaskId: string) =>
    (await replicates.findByChainTaskId(chainTaskId))!.replicates[0].statusUpdateList.map(
      (u) => u.status,
    );

  /** A fresh one-task deal for `worker`, driven up to CONTRIBUTING; its authorization. */
  async function taskUpToContributing() {
    const deal = await chain.fixtures.createDeal({
      workerpool: stack.workerpool,
      workers: [worker.account],
    });
    const chainTaskId = deal.taskIds[0];
    await waitForTaskStatus(stack.scheduler, chainTaskId);
    const res = await eventually(async () => {
      const r = await worker.available(await latestBlock(chain));
      return r.status === 200 ? r : undefined;
    });
    const authorization = JSON.parse(res.text).workerpoolAuthorization as WorkerpoolAuthorization;
    await worker.reportAll(chainTaskId, [...UP_TO_COMPUTED, S.CONTRIBUTING]);
    return { chainTaskId, authorization };
  }

  /** The worker's node is ahead: its transaction, then 20 more blocks, none seen by us. */
  async function aheadOfOurNode<T>(send: () => Promise<T>): Promise<T> {
    proxy.setFaults({ lagBlocks: LAG });
    const tx = await send();
    await chain.control.mine(20);
    return tx;
  }

  /** A task up to CONTRIBUTING whose contribution the worker's node has and ours not yet. */
  async function contributedAheadOfOurNode() {
    const { chainTaskId, authorization } = await taskUpToContributing();
    const contribution = await aheadOfOurNode(() =>
      chain.fixtures.contribute(
        worker.account,
        chainTaskId as Hex,
        digestOf(chainTaskId),
        authorization.signature.value,
      ),
    );
    return { chainTaskId, contribution };
  }

  beforeAll(async () => {
    proxy = await startRpcFaultProxy({ target: chain.rpcUrl });
    stack = await startStack(chain, {
      env: {
        IEXEC_PRIVATE_CHAIN_ADDRESS: proxy.url,
        IEXEC_CLAIM_HOLD_MS: String(HOLD_MS),
        IEXEC_CORE_MANAGEMENT_ACTUATORS: 'health,info,prometheus',
        // The scheduler must not record contributions / reveals on the worker's behalf here.
        CRON_DETECTOR_CHAIN_CONTRIBUTE: '600000',
        CRON_DETECTOR_CHAIN_REVEAL: '600000',
      },
    });
    replicates = stack.scheduler.get(ReplicatesListRepository);
    worker = await ProtocolWorker.start(stack.scheduler, 0);
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    await stack?.stop();
    await proxy?.stop();
  });

  it('holds a CONTRIBUTED and a REVEALED our node cannot see yet, and accepts each once it does', async () => {
    const { chainTaskId, contribution } = await contributedAheadOfOurNode();
    const started = Date.now();
    const contributed = worker.report(chainTaskId, S.CONTRIBUTED, receiptOf(contribution));
    await sleep(1000);
    proxy.reset(); // our node catches up
    const answer = await contributed;
    expect({ status: answer.status, text: answer.text }).toEqual({
      status: 200,
      text: '"PLEASE_WAIT"',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const replicate = (await replicates.findByChainTaskId(chainTaskId))!.replicates[0];
    expect(replicate.contributionHash).toBe(contribution.resultHash);

    await waitForTaskStatus(stack.scheduler, chainTaskId, [TaskStatus.CONSENSUS_REACHED]);
    expect((await worker.report(chainTaskId, S.REVEALING)).status).toBe(200);
    const reveal = await aheadOfOurNode(() =>
      chain.fixtures.reveal(worker.account, chainTaskId as Hex, digestOf(chainTaskId)),
    );
    const revealed = worker.report(chainTaskId, S.REVEALED, receiptOf(reveal));
    await sleep(1000);
    proxy.reset();
    expect((await revealed).status).toBe(200);
    expect(await statuses(chainTaskId)).toContain(S.REVEALED);
    expect(await statuses(chainTaskId)).not.toContain(S.FAILED);
  });

  it('answers 503 when our node is still behind at the end of the hold, counts it, and accepts the report posted again', async () => {
    const { chainTaskId, contribution } = await contributedAheadOfOurNode();
    const started = Date.now();
    const first = await worker.report(chainTaskId, S.CONTRIBUTED, receiptOf(contribution));
    const heldMs = Date.now() - started;
    // Not decodable by the worker: it posts the same report again at once (worker-api.md §7.6).
    expect({ status: first.status, text: first.text }).toEqual({ status: 503, text: '' });
    expect(heldMs).toBeGreaterThanOrEqual(HOLD_MS - 100);
    expect(heldMs).toBeLessThan(HOLD_MS + 2000);
    expect((await statuses(chainTaskId)).at(-1)).toBe(S.CONTRIBUTING);
    const metrics = await exchange('GET', `${stack.scheduler.baseUrl}/actuator/prometheus`);
    expect(metrics.text).toMatch(
      /iexec_core_replicate_claims_deferred_total\{claim="contributed"\} 1\b/,
    );

    proxy.reset();
    const again = await worker.report(chainTaskId, S.CONTRIBUTED, receiptOf(contribution));
    expect({ status: again.status, text: again.text }).toEqual({
      status: 200,
      text: '"PLEASE_WAIT"',
    });
  });

  it('still refuses at once what the chain proves false once our node has caught up', async () => {
    const { chainTaskId } = await taskUpToContributing();
    await chain.control.mine(3);
    const claim = { chainReceipt: { blockNumber: (await latestBlock(chain)) - 3, txHash: '0x' } };
    const answer = await worker.report(chainTaskId, S.CONTRIBUTED, claim);
    expect({ status: answer.status, text: answer.text }).toEqual({
      status: 202,
      text: '"PLEASE_ABORT"',
    });
    expect((await statuses(chainTaskId)).at(-1)).toBe(S.CONTRIBUTING);
  });
});
