import { pad, parseEventLogs, stringToHex, toEventSelector, type Hex } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { appAbi, hubAbi } from '../../../devstack/poco/abi.js';
import { orderHash, toTag } from '../../../devstack/poco/orders.js';
import { dealIdOf, taskIdOf } from '../../../devstack/poco/signatures.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';

const chain = testChain();
const { fixtures, roles } = chain;
isolateChainPerFile(chain);

const SCHEDULER_NOTICE_TOPIC = '0x692ad61076dceddd0f1a861f737553dd61fc8501cf4190d29c4e90af6607f765';

describe('deals on the dev chain', () => {
  it('announces a matched deal with a SchedulerNotice log found by workerpool topic', async () => {
    const workerpool = await fixtures.createWorkerpool();
    const otherWorkerpool = await fixtures.createWorkerpool();
    const deal = await fixtures.createDeal({ workerpool, volume: 3 });
    await fixtures.createDeal({ workerpool: otherWorkerpool });

    expect(toEventSelector('SchedulerNotice(address,bytes32)')).toBe(SCHEDULER_NOTICE_TOPIC);
    // the query the scheduler's deal watcher makes: hub address, [topic0, padded workerpool]
    const logs = await chain.clients.publicClient.request({
      method: 'eth_getLogs',
      params: [
        {
          address: chain.deployment.hub,
          fromBlock: '0x0',
          toBlock: 'latest',
          topics: [SCHEDULER_NOTICE_TOPIC, pad(workerpool)],
        },
      ],
    });
    expect(logs).toHaveLength(1);
    expect(logs[0].data).toBe(deal.dealId);
    expect(BigInt(logs[0].blockNumber as Hex)).toBe(deal.blockNumber);

    // and through viem's typed event filter
    const typed = await chain.clients.publicClient.getLogs({
      address: chain.deployment.hub,
      event: hubAbi.find(
        (item) => item.type === 'event' && item.name === 'SchedulerNotice',
      ) as Extract<(typeof hubAbi)[number], { type: 'event'; name: 'SchedulerNotice' }>,
      args: { workerpool },
      fromBlock: deal.blockNumber,
    });
    expect(typed.map((log) => log.args.dealid)).toEqual([deal.dealId]);
  });

  it('matches orders with any tag, trust, category, params and callback', async () => {
    const worker = workerAccount(3);
    const callback = workerAccount(4).address;
    const deal = await fixtures.createDeal({
      volume: 4,
      trust: 3,
      tag: 0x5,
      category: 2,
      params: { iexec_args: 'hello world', iexec_result_storage_provider: 'ipfs' },
      callback,
      beneficiary: roles.appOwner.address,
      dataset: 'create',
      workers: [worker],
    });
    const onChain = await fixtures.viewDeal(deal.dealId);
    expect(onChain.tag).toBe(toTag(0x5));
    expect(onChain.trust).toBe(3n);
    expect(onChain.category).toBe(2n);
    expect(onChain.params).toBe(
      '{"iexec_args":"hello world","iexec_result_storage_provider":"ipfs"}',
    );
    expect(onChain.callback).toBe(callback);
    expect(onChain.beneficiary).toBe(roles.appOwner.address);
    expect(onChain.requester).toBe(roles.requester.address);
    expect(onChain.dataset.pointer.toLowerCase()).toBe(deal.dataset);
    expect(onChain.workerpool.owner).toBe(roles.scheduler.address);
    expect(onChain.botSize).toBe(4n);
    // 30 % of the default workerpool price (2 RLC)
    expect(onChain.workerStake).toBe(600_000_000n);
    expect(deal.workerStake).toBe(600_000_000n);

    // hashes computed by viem are the ones PoCo reports, and ids follow PoCo's formulas
    const [matched] = parseEventLogs({
      abi: hubAbi,
      eventName: 'OrdersMatched',
      logs: deal.receipt.logs,
    });
    expect(matched.args.appHash).toBe(
      orderHash(chain.fixtures.ctx.domain, 'AppOrder', deal.orders.app),
    );
    expect(matched.args.requestHash).toBe(
      orderHash(chain.fixtures.ctx.domain, 'RequestOrder', deal.orders.request),
    );
    expect(deal.dealId).toBe(dealIdOf(matched.args.requestHash, 0));
    expect(deal.taskIds).toEqual([0, 1, 2, 3].map((i) => taskIdOf(deal.dealId, i)));
  });

  it('continues the task indexes of a partially consumed request order', async () => {
    const app = await fixtures.createApp();
    const workerpool = await fixtures.createWorkerpool();
    const orders = await fixtures.signDealOrders({ app, workerpool, volume: 5, orderVolume: 2 });
    await fixtures.ensureStake(roles.requester, 5n * 3_000_000_000n);
    await fixtures.ensureStake(roles.scheduler, 5n * 600_000_000n);
    const first = await fixtures.matchOrders(orders);
    expect(first.volume).toBe(2n);
    // new app/workerpool orders let the same request order go on from index 2
    const more = await fixtures.signDealOrders({ app, workerpool, volume: 5, orderVolume: 3 });
    const second = await fixtures.matchOrders({ ...more, request: orders.request });
    expect(second.botFirst).toBe(2n);
    expect(second.volume).toBe(3n);
    expect(second.taskIds).toEqual([2, 3, 4].map((i) => taskIdOf(second.dealId, i)));
  });

  it('stores the app image and enclave configuration read by the scheduler', async () => {
    const mrenclave = {
      framework: 'SCONE',
      version: 'v5',
      entrypoint: 'python /app/app.py',
      heapSize: 1073741824,
      fingerprint: 'abc',
    } as const;
    const app = await fixtures.createApp({ image: 'docker.io/iexechub/tee-app:1.0.0', mrenclave });
    const read = <F extends 'm_appMultiaddr' | 'm_appMREnclave'>(functionName: F) =>
      chain.clients.publicClient.readContract({ address: app, abi: appAbi, functionName });
    expect(await read('m_appMultiaddr')).toBe(stringToHex('docker.io/iexechub/tee-app:1.0.0'));
    expect(await read('m_appMREnclave')).toBe(stringToHex(JSON.stringify(mrenclave)));
  });
});
