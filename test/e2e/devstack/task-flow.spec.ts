import { keccak256, parseEventLogs, stringToHex, zeroAddress, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ChainContributionStatus, ChainTaskStatus } from '../../../src/chain/chain-status.js';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { ChainTxError } from '../../../devstack/chain/tx.js';
import { hubAbi } from '../../../devstack/poco/abi.js';
import {
  resultHashOf,
  resultSealOf,
  workerpoolAuthorizationHash,
} from '../../../devstack/poco/signatures.js';
import { isolateChainPerFile, isolateChainPerTest, testChain } from '../../support/chain.js';

const chain = testChain();
const { fixtures, roles, control } = chain;
isolateChainPerFile(chain);
isolateChainPerTest(chain);

const digestOf = (text: string): Hex => keccak256(stringToHex(text));

async function statuses(taskId: Hex, worker: `0x${string}`) {
  const [task, contribution] = await Promise.all([
    fixtures.viewTask(taskId),
    fixtures.viewContribution(taskId, worker),
  ]);
  return [ChainTaskStatus[task.status], ChainContributionStatus[contribution.status]];
}

describe('one task driven on chain by the fixtures', () => {
  it('goes initialize → contribute → reveal → finalize with a scheduler-signed authorization', async () => {
    const worker = workerAccount(0);
    const started = performance.now();
    const deal = await fixtures.createDeal({ workers: [worker] });
    const [taskId] = deal.taskIds;

    const dealt = performance.now();
    const init = await fixtures.initialize(deal.dealId, 0);
    expect(init.taskId).toBe(taskId);
    expect(await statuses(taskId, worker.address)).toEqual(['ACTIVE', 'UNSET']);

    const digest = digestOf('result of task 0');
    const authorization = await fixtures.authorize(worker.address, taskId);
    // PoCo recovers the scheduler from exactly this hash (its on-chain check accepted it below)
    expect(
      await chain.clients.publicClient.verifyMessage({
        address: roles.scheduler.address,
        message: { raw: workerpoolAuthorizationHash(worker.address, taskId, zeroAddress) },
        signature: authorization,
      }),
    ).toBe(true);
    const contributed = await fixtures.contribute(worker, taskId, digest, authorization);
    expect(await statuses(taskId, worker.address)).toEqual(['REVEALING', 'CONTRIBUTED']);
    const contribution = await fixtures.viewContribution(taskId, worker.address);
    expect(contribution.resultHash).toBe(resultHashOf(taskId, digest));
    expect(contribution.resultSeal).toBe(resultSealOf(worker.address, taskId, digest));
    expect(contributed.resultHash).toBe(contribution.resultHash);
    expect((await fixtures.viewAccount(worker.address)).locked).toBe(deal.workerStake);

    await fixtures.reveal(worker, taskId, digest);
    expect(await statuses(taskId, worker.address)).toEqual(['REVEALING', 'REVEALED']); // PoCo's PROVED (2)

    const results = stringToHex(JSON.stringify({ storage: 'ipfs', location: '/ipfs/QmResult' }));
    const finalized = await fixtures.finalize(roles.scheduler, taskId, results);
    const task = await fixtures.viewTask(taskId);
    expect(ChainTaskStatus[task.status]).toBe('COMPLETED');
    expect(task.results).toBe(results);
    expect(task.resultDigest).toBe(digest);
    const events = parseEventLogs({
      abi: hubAbi,
      logs: finalized.receipt.logs,
      eventName: 'TaskFinalize',
    });
    expect(events.map((event) => event.args.taskid)).toEqual([taskId]);
    expect((await fixtures.viewAccount(worker.address)).locked).toBe(0n);
    const done = performance.now();
    process.stderr.write(
      `one-task flow: deal ${Math.round(dealt - started)} ms (app, workerpool, 3 deposits, match), ` +
        `task ${Math.round(done - dealt)} ms (4 transactions + checks)\n`,
    );
    // A bound against a hang, not a benchmark: a loaded 2-core CI box took 6.1 s (5.4 s quiet).
    expect(done - started).toBeLessThan(20_000);
  });

  it('completes a TEE (0x3, trust 1) task in one contributeAndFinalize', async () => {
    const worker = workerAccount(1);
    const enclave = privateKeyToAccount(generatePrivateKey());
    const deal = await fixtures.createDeal({ tag: 0x3, trust: 1 });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    const digest = digestOf('tee result');
    const results = stringToHex('/ipfs/QmTee');

    await fixtures.contributeAndFinalize(
      worker,
      taskId,
      digest,
      await fixtures.authorize(worker.address, taskId, enclave.address),
      { enclave, results },
    );
    expect(await statuses(taskId, worker.address)).toEqual(['COMPLETED', 'REVEALED']);
    const contribution = await fixtures.viewContribution(taskId, worker.address);
    expect(contribution.enclaveChallenge).toBe(enclave.address);
    expect((await fixtures.viewTask(taskId)).results).toBe(results);
  });

  it.each([
    ['0x5 Gramine', 0x5, 2],
    ['0x9 TDX', 0x9, 7],
  ])(
    'takes a TEE task through contribute with an enclave signature (%s)',
    async (_, tag, index) => {
      const worker = workerAccount(index);
      const enclave = privateKeyToAccount(generatePrivateKey());
      const deal = await fixtures.createDeal({ tag, workers: [worker] });
      const { taskId } = await fixtures.initialize(deal.dealId, 0);
      const digest = digestOf(`tee result ${tag}`);

      const noEnclave = await fixtures
        .contribute(worker, taskId, digest, await fixtures.authorize(worker.address, taskId))
        .catch((e: unknown) => e);
      expect(noEnclave).toBeInstanceOf(ChainTxError);
      expect((noEnclave as Error).message).toMatch(/TEE: an enclave challenge is required/);

      await fixtures.contribute(
        worker,
        taskId,
        digest,
        await fixtures.authorize(worker.address, taskId, enclave.address),
        enclave,
      );
      await fixtures.reveal(worker, taskId, digest);
      await fixtures.finalize(roles.scheduler, taskId);
      expect(await statuses(taskId, worker.address)).toEqual(['COMPLETED', 'REVEALED']);
    },
  );

  it('fails a task nobody finished: time travel past the final deadline, then claim', async () => {
    const deal = await fixtures.createDeal({ category: 0 });
    const { taskId } = await fixtures.initialize(deal.dealId, 0);
    const task = await fixtures.viewTask(taskId);
    expect(task.finalDeadline - task.contributionDeadline).toBe(3n * 300n); // (10 - 7) × XS timeref

    const early = await fixtures.claim(taskId).catch((e: unknown) => e);
    expect((early as Error).message).toMatch(/claim reverted: final deadline \d+ not reached/);

    const block = await control.increaseTime(task.finalDeadline - (await control.now()) + 1n);
    expect(block.timestamp).toBeGreaterThan(task.finalDeadline);
    const requesterBefore = await fixtures.viewAccount(roles.requester.address);
    await fixtures.claim(taskId);
    expect(ChainTaskStatus[(await fixtures.viewTask(taskId)).status]).toBe('FAILED');
    // the requester gets the deal price back
    const requesterAfter = await fixtures.viewAccount(roles.requester.address);
    expect(requesterAfter.stake - requesterBefore.stake).toBe(3_000_000_000n);
  });

  it('explains why PoCo refuses a contribution', async () => {
    const worker = workerAccount(5);
    const deal = await fixtures.createDeal({ workers: [worker] });
    const [taskId] = deal.taskIds;
    const digest = digestOf('x');
    const notInitialized = await fixtures
      .contribute(worker, taskId, digest, await fixtures.authorize(worker.address, taskId))
      .catch((e: unknown) => e);
    expect((notInitialized as Error).message).toBe(
      'contribute reverted: task is UNSET, not ACTIVE (initialized? already in consensus?)',
    );

    await fixtures.initialize(deal.dealId, 0);
    const wrongSigner = await fixtures
      .contribute(
        worker,
        taskId,
        digest,
        await fixtures.authorize(worker.address, taskId, zeroAddress, roles.requester),
      )
      .catch((e: unknown) => e);
    expect((wrongSigner as Error).message).toMatch(
      /workerpool authorization recovers to 0x[0-9a-fA-F]{40}, not /,
    );

    const poor = workerAccount(6);
    const noStake = await fixtures
      .contribute(poor, taskId, digest, await fixtures.authorize(poor.address, taskId))
      .catch((e: unknown) => e);
    // PoCo gives this one a reason of its own
    expect((noStake as Error).message).toBe(
      'contribute reverted: IexecEscrow: Transfer amount exceeds balance',
    );
  });
});
