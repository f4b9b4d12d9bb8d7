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
      blockchainAdapter: {
        url: 'http://adapter',
        username: 'u',
        password: 'p',
        requestTimeoutMs: 1000,
      },
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

/** A scripted adapter: each POST and status GET takes the next answer of its list. */
function scriptedAdapter(posts: (number | 'timeout')[], statuses: (number | string)[]) {
  const calls: string[] = [];
  const http = {
    request: (config: AxiosRequestConfig) =>
      defer(() =>
        from(
          (async () => {
            calls.push(config.method as string);
            const next = config.method === 'POST' ? posts.shift() : statuses.shift();
            if (next === undefined) throw new Error(`unexpected ${config.method}`);
            if (next === 'timeout') throw new Error('timeout of 1000ms exceeded');
            if (typeof next === 'string') return { status: 200, data: `"${next}"` };
            const taskId = /0x[0-9a-f]{64}/.exec(config.url ?? '')![0];
            return { status: next, data: next === 200 ? taskId : '' };
          })(),
        ),
      ),
  } as unknown as HttpService;
  const jobs = { register: () => undefined } as unknown as JobScheduler;
  const config = {
    blockchainAdapter: { url: 'http://a', username: 'u', password: 'p', requestTimeoutMs: 1000 },
  } as AppConfig;
  return { writer: new AdapterChainWriter(config, http, jobs, 1000), calls };
}

describe('AdapterChainWriter ambiguous sends (issue 16 §4)', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('an unanswered POST whose command the adapter holds is accepted, not sent again', async () => {
    const { writer, calls } = scriptedAdapter(['timeout'], ['RECEIVED']);
    expect(await writer.requestFinalize(taskId(1), '/ipfs/Qm', undefined)).toEqual({
      accepted: true,
    });
    expect(calls).toEqual(['POST', 'GET']);
  });

  it('a 400 to a repeated POST is not a refusal when the command exists', async () => {
    const { writer } = scriptedAdapter(['timeout', 400], [404, 'PROCESSING']);
    expect(await writer.requestInitialize(taskId(0), 1, taskId(1))).toEqual({ accepted: true });
  });

  it('a 400 after an unanswered POST with no command yet is left for later', async () => {
    const { writer } = scriptedAdapter([503, 400], [404, 404]);
    expect(await writer.requestInitialize(taskId(0), 1, taskId(1))).toMatchObject({
      accepted: false,
      transient: true,
    });
  });

  it('a first 400 with no command is a definite refusal', async () => {
    const { writer } = scriptedAdapter([400], [404]);
    expect(await writer.requestInitialize(taskId(0), 1, taskId(1))).toMatchObject({
      accepted: false,
      transient: false,
    });
  });

  it('an unreadable status never fails the task', async () => {
    const { writer } = scriptedAdapter([400], [500]);
    expect(await writer.requestInitialize(taskId(0), 1, taskId(1))).toMatchObject({
      accepted: false,
      transient: true,
    });
  });
});
