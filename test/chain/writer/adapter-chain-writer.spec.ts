import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import type { AxiosRequestConfig } from 'axios';
import { defer, from } from 'rxjs';
import { AdapterChainWriter } from '../../../src/chain/writer/adapter-chain-writer.js';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler.js';
import { AppConfig } from '../../../src/config/app-config.js';

// The adapter writer's status job with the Blockchain Adapter stubbed
// (test/e2e/devstack/services/scheduler-clients.spec.ts drives the real stand-in).
const taskId = (i: number) => `0x${i.toString(16).padStart(64, '0')}`;

function stubAdapter(statusOf: (chainTaskId: string) => string) {
  const load = { inFlight: 0, most: 0 };
  const http = {
    request: (config: AxiosRequestConfig) =>
      defer(() =>
        from(
          (async () => {
            const chainTaskId = /0x[0-9a-f]{64}/.exec(config.url ?? '')![0];
            // a request is answered with its task id, a status as a JSON string
            if (config.method === 'POST') return { status: 200, data: chainTaskId };
            load.most = Math.max(load.most, ++load.inFlight);
            await new Promise((r) => setTimeout(r, 5));
            load.inFlight--;
            return { status: 200, data: `"${statusOf(chainTaskId)}"` };
          })(),
        ),
      ),
  } as unknown as HttpService;
  return { http, load };
}

describe('AdapterChainWriter status polling', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('asks the statuses of the pending commands concurrently and settles the finished ones', async () => {
    const statuses: Record<string, string> = {
      [taskId(1)]: 'SUCCESS',
      [taskId(2)]: 'FAILURE',
      [taskId(3)]: 'RECEIVED',
      [taskId(4)]: 'SUCCESS',
    };
    const adapter = stubAdapter((id) => statuses[id]);
    let poll: () => Promise<void> = async () => undefined;
    const jobs = {
      register: (_name: string, _ms: number, job: () => Promise<void>) => (poll = job),
    } as unknown as JobScheduler;
    const config = {
      blockchainAdapter: { url: 'http://adapter', username: 'u', password: 'p' },
    } as AppConfig;
    const writer = new AdapterChainWriter(config, adapter.http, jobs, 1000);
    const settled: [string, string][] = [];
    writer.onSettled((id, _command, outcome) => settled.push([id, outcome]));
    for (const i of [1, 2, 3, 4])
      expect(await writer.requestFinalize(taskId(i), '/ipfs/Qm', undefined)).toMatchObject({
        accepted: true,
      });

    await poll();
    expect(adapter.load.most).toBe(4);
    expect(settled.sort()).toEqual([
      [taskId(1), 'SUCCESS'],
      [taskId(2), 'FAILURE'],
      [taskId(4), 'SUCCESS'],
    ]);

    // Only the command still running is asked again.
    adapter.load.most = 0;
    statuses[taskId(3)] = 'SUCCESS';
    await poll();
    expect(adapter.load.most).toBe(1);
    expect(settled).toContainEqual([taskId(3), 'SUCCESS']);
  });
});
