import { request } from 'node:http';
import { ReplicateStatus, ReplicateStatusCause } from '../../../src/replicate/replicate-status.js';
import { ReplicatesListRepository } from '../../../src/replicate/replicates-list.repository.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { jsonOf, RunningApp, startTestApp } from '../../support/app.js';
import { chainlessEnv } from '../../support/chain-env.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { newReplicate, newTask, statusUpdate, taskId } from '../../support/read-api-fixtures.js';

// T1/T2 (worker-api.md §9.1, §9.2; §14 item 45) over real HTTP against the Mongo-wire server.
const WORKER_A = '0x1a69b2eb604db8eba185df03ea4f5288dcbbd248';
const WORKER_B = '0xAbCDef0000000000000000000000000000000001';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/;

describe('public task read endpoints', () => {
  const url = isolatedMongoUrl('taskread');
  let running: RunningApp;
  let base: string;

  beforeAll(async () => {
    running = await startTestApp({ MONGO_URL: url, ...(await chainlessEnv()) });
    base = running.baseUrl;
    const tasks = running.app.get(TaskRepository);
    const replicates = running.app.get(ReplicatesListRepository);
    const received = new Date('2024-06-19T08:15:30.123Z');
    await tasks.insertMany([
      newTask(1, { dateStatusList: [{ date: received, status: TaskStatus.RECEIVED }] }),
      newTask(2, {
        currentStatus: TaskStatus.RUNNING,
        finalDeadline: new Date('2024-06-20T00:00:00.000Z'),
        contributionDeadline: new Date('2024-06-19T10:00:00.000Z'),
        dateStatusList: [
          { date: received, status: TaskStatus.RECEIVED },
          {
            date: received,
            status: TaskStatus.INITIALIZED,
            chainReceipt: { blockNumber: 42, txHash: '0xabc' },
          },
          { date: received, status: TaskStatus.RUNNING },
        ],
      }),
    ]);
    await replicates.createEmpty(taskId(2));
    await replicates.addReplicate(
      taskId(2),
      0,
      newReplicate(taskId(2), WORKER_A, {
        appComputeLogsPresent: true,
        contributionHash: '0xfeed',
        statusUpdateList: [
          statusUpdate(ReplicateStatus.CREATED, undefined, received),
          statusUpdate(
            ReplicateStatus.COMPUTE_FAILED,
            { cause: ReplicateStatusCause.APP_COMPUTE_FAILED, exitCode: 1 },
            received,
          ),
          statusUpdate(
            ReplicateStatus.COMPUTE_FAILED,
            { exitCode: 2, teeSessionGenerationError: 'first' },
            received,
          ),
          statusUpdate(
            ReplicateStatus.COMPUTE_FAILED,
            { teeSessionGenerationError: 'second' },
            received,
          ),
        ],
      }),
    );
    await replicates.addReplicate(taskId(2), 1, newReplicate(taskId(2), WORKER_B));
  });

  afterAll(async () => {
    await running?.close();
    await dropDatabase(url);
  });

  it('answers 404 with a JSON error naming the reason for an unknown task (what the SDK prints)', async () => {
    const res = await fetch(`${base}/tasks/${taskId(99)}`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await jsonOf(res)).toEqual({
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      status: 404,
      error: `Not Found: task ${taskId(99)} is unknown to this scheduler`,
      message: `task ${taskId(99)} is unknown to this scheduler`,
      path: `/tasks/${taskId(99)}`,
    });
  });

  it('serves a task without replicates document with replicates null and every property', async () => {
    const res = await fetch(`${base}/tasks/${taskId(1)}`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(Object.keys(body)).toEqual([
      'chainTaskId',
      'replicates',
      'maxExecutionTime',
      'tag',
      'dappType',
      'dappName',
      'commandLine',
      'initializationBlockNumber',
      'currentStatus',
      'trust',
      'uploadingWorkerWalletAddress',
      'consensus',
      'contributionDeadline',
      'revealDeadline',
      'finalDeadline',
      'resultLink',
      'chainCallbackData',
      'dateStatusList',
    ]);
    expect(body).toMatchObject({
      chainTaskId: taskId(1),
      replicates: null,
      maxExecutionTime: 300000,
      dappType: 'DOCKER',
      commandLine: 'hello',
      currentStatus: 'RECEIVED',
      trust: 1,
      uploadingWorkerWalletAddress: null,
      consensus: null,
      revealDeadline: null,
      resultLink: null,
      chainCallbackData: null,
      dateStatusList: [{ date: '2024-06-19T08:15:30.123+00:00', status: 'RECEIVED' }],
    });
    expect(body.finalDeadline).toMatch(ISO);
  });

  it('serves a task with its replicates as ReplicateModels', async () => {
    const body = await jsonOf(await fetch(`${base}/tasks/${taskId(2)}`));
    expect(body.contributionDeadline).toBe('2024-06-19T10:00:00.000+00:00');
    expect(body.finalDeadline).toBe('2024-06-20T00:00:00.000+00:00');
    expect(body.dateStatusList[1]).toEqual({
      date: '2024-06-19T08:15:30.123+00:00',
      status: 'INITIALIZED',
      chainReceipt: { blockNumber: 42, txHash: '0xabc' },
    });
    expect(body.dateStatusList[2]).not.toHaveProperty('chainReceipt');
    expect(body.replicates.map((r: { walletAddress: string }) => r.walletAddress)).toEqual([
      WORKER_A,
      WORKER_B,
    ]);
    expect(body.replicates[1].self).toBe(`${base}/tasks/${taskId(2)}/replicates/${WORKER_B}`);
  });

  it('serves one replicate: absolute self and appLogs URLs, last exit code, empties omitted', async () => {
    const res = await fetch(`${base}/tasks/${taskId(2)}/replicates/${WORKER_A}`);
    expect(res.status).toBe(200);
    const body = await jsonOf(res);
    expect(body).toEqual({
      self: `${base}/tasks/${taskId(2)}/replicates/${WORKER_A}`,
      chainTaskId: taskId(2),
      walletAddress: WORKER_A,
      currentStatus: 'COMPUTE_FAILED',
      statusUpdateList: [
        { status: 'CREATED', date: '2024-06-19T08:15:30.123+00:00' },
        {
          status: 'COMPUTE_FAILED',
          date: '2024-06-19T08:15:30.123+00:00',
          cause: 'APP_COMPUTE_FAILED',
        },
        { status: 'COMPUTE_FAILED', date: '2024-06-19T08:15:30.123+00:00' },
        { status: 'COMPUTE_FAILED', date: '2024-06-19T08:15:30.123+00:00' },
      ],
      contributionHash: '0xfeed',
      appLogs: `${base}/tasks/${taskId(2)}/replicates/${WORKER_A}/logs`,
      appExitCode: 2,
      teeSessionGenerationError: 'second',
    });
  });

  it('omits appLogs without captured logs and contributionHash while empty', async () => {
    const body = await jsonOf(await fetch(`${base}/tasks/${taskId(2)}/replicates/${WORKER_B}`));
    expect(body.self.endsWith(`/tasks/${taskId(2)}/replicates/${WORKER_B}`)).toBe(true);
    expect(body).not.toHaveProperty('appLogs');
    expect(body).not.toHaveProperty('contributionHash');
    expect(body).not.toHaveProperty('appExitCode');
    expect(body.currentStatus).toBe('CREATED');
  });

  it('builds the URLs from the Host header of the request', async () => {
    // fetch() does not let a caller set Host; node:http does.
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(
        `${base}/tasks/${taskId(2)}/replicates/${WORKER_B}`,
        { headers: { host: 'core.example:13000' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body).self).toBe(
      `http://core.example:13000/tasks/${taskId(2)}/replicates/${WORKER_B}`,
    );
  });

  it('matches the wallet exactly and answers 404 naming the unknown replicate or task', async () => {
    const errorOf = async (path: string) => {
      const res = await fetch(`${base}${path}`);
      return [res.status, ((await jsonOf(res)) as { error: string }).error];
    };
    const lowercase = WORKER_B.toLowerCase();
    expect(await errorOf(`/tasks/${taskId(2)}/replicates/${lowercase}`)).toEqual([
      404,
      `Not Found: task ${taskId(2)} has no replicate of ${lowercase}`,
    ]);
    const bad = '0x0000000000000000000000000000000000000bad';
    expect(await errorOf(`/tasks/${taskId(2)}/replicates/${bad}`)).toEqual([
      404,
      `Not Found: task ${taskId(2)} has no replicate of ${bad}`,
    ]);
    expect(await errorOf(`/tasks/${taskId(1)}/replicates/${WORKER_A}`)).toEqual([
      404,
      `Not Found: task ${taskId(1)} has no replicates on this scheduler`,
    ]);
  });
});
