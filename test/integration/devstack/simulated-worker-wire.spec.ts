// The simulated worker over the real wire: its HTTP client against a scheduler stand-in served
// by node:http, its SockJS/STOMP client against the push channel of src/notification, and its
// Result Proxy uploader. Checks what the scheduler will see: paths, headers, bodies, keep-alive.
import { HttpClient } from '../../../devstack/worker/http.js';
import { HttpResultUploader } from '../../../devstack/worker/result-uploader.js';
import { SimulatedWorker } from '../../../devstack/worker/simulated-worker.js';
import { WorkerStats } from '../../../devstack/worker/stats.js';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { TaskNotificationType as N } from '../../../src/notification/task-notification-type.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import { devRoles } from '../../../devstack/chain/accounts.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';
import {
  startFakeSchedulerServer,
  type FakeSchedulerServer,
} from '../../support/fake-scheduler-server.js';
import { FakeChain, taskId, until } from '../../devstack/worker/harness.js';

describe('simulated worker on the wire', () => {
  let fake: FakeScheduler;
  let server: FakeSchedulerServer;
  let worker: SimulatedWorker | undefined;

  beforeEach(async () => {
    fake = new FakeScheduler(devRoles().scheduler);
    server = await startFakeSchedulerServer(fake);
    fake.config = { ...fake.config, resultRepositoryURL: server.url };
  });
  afterEach(async () => {
    await worker?.stop();
    worker?.dispose();
    worker = undefined;
    await server.close();
  });

  it('runs a task over HTTP and SockJS/STOMP with the Java worker request shapes', async () => {
    const stats = new WorkerStats();
    worker = new SimulatedWorker({
      schedulerUrl: `${server.url}/`,
      account: workerAccount(0),
      chain: new FakeChain(),
      http: new HttpClient({ stats }),
      stats,
      askPeriodMs: 20,
      pingIntervalMs: 100,
      pushOptions: { reconnectDelayMs: 100 },
    });
    const id = taskId(30);
    fake.offers.push({ chainTaskId: id });
    await worker.start();
    await worker.waitForStatus(id, S.CONTRIBUTED, 10_000);
    const wallet = worker.wallet;
    const publish = (type: N, workersAddress: string[], blockNumber = 0) =>
      server.publish({
        chainTaskId: id,
        workersAddress,
        taskNotificationType: type,
        taskNotificationExtra: {
          workerpoolAuthorization: null,
          smsUrl: null,
          blockNumber,
          taskAbortCause: null,
        },
      });
    // the SUBSCRIBE frame travels on its own request: wait until the broker has it
    await until(() => server.subscriptions() === 1, 5000, 'subscription');
    const consensusBlock = worker.task(id)!.receipts.contribute!.blockNumber;
    expect(publish(N.PLEASE_REVEAL, [wallet], consensusBlock)).toBe(1);
    await worker.waitForStatus(id, S.REVEALED, 10_000);
    publish(N.PLEASE_UPLOAD, [wallet]);
    await worker.waitForStatus(id, S.RESULT_UPLOADED, 10_000);
    publish(N.PLEASE_COMPLETE, []);
    await worker.waitForStatus(id, S.COMPLETED, 10_000);
    await until(() => server.requests.some((r) => r.path === '/workers/ping'), 5000, 'ping');

    // every request: JSON content type; authenticated ones: the JWT as a Bearer token
    const api = server.requests.filter(
      (r) => !r.path.startsWith('/connect') && !r.path.startsWith('/v1/'),
    );
    expect(api.every((r) => r.headers['content-type'] === 'application/json')).toBe(true);
    const jwt = worker.token;
    expect(jwt).toMatch(/^jwt-/);
    const authed = api.filter((r) => /^\/(replicates|workers\/(ping|register))/.test(r.path));
    expect(authed.every((r) => r.headers.authorization === `Bearer ${jwt}`)).toBe(true);
    expect(api.map((r) => `${r.method} ${r.path}`).slice(0, 5)).toEqual([
      'GET /workers/config',
      `GET /workers/challenge?walletAddress=${wallet}`,
      `POST /workers/login?walletAddress=${wallet}`,
      'POST /workers/register',
      'GET /replicates/interrupted?blockNumber=100',
    ]);
    const login = api[2];
    expect(Object.keys(JSON.parse(login.body))).toEqual(['value']);
    const ping = api.find((r) => r.path === '/workers/ping')!;
    expect(ping.body).toBe('');

    const reports = api.filter((r) => r.path === `/replicates/${id}/updateStatus`);
    expect(reports.map((r) => JSON.parse(r.body).status)).toEqual([
      ...['STARTING', 'STARTED', 'APP_DOWNLOADING', 'APP_DOWNLOADED', 'DATA_DOWNLOADING'],
      ...['DATA_DOWNLOADED', 'COMPUTING', 'COMPUTED', 'CONTRIBUTING', 'CONTRIBUTED'],
      ...[
        'REVEALING',
        'REVEALED',
        'RESULT_UPLOADING',
        'RESULT_UPLOADED',
        'COMPLETING',
        'COMPLETED',
      ],
    ]);
    for (const r of reports) {
      expect(Object.keys(JSON.parse(r.body))).toEqual([
        'status',
        'modifier',
        'date',
        'details',
        'success',
      ]);
    }

    // the result went through the Result Proxy with the worker's own token request
    const upload = server.uploads.get(id)!;
    expect(upload.wallet).toBe(wallet);
    expect(Object.keys(upload.model)).toEqual([
      'chainTaskId',
      'image',
      'cmd',
      'zip',
      'deterministHash',
      'enclaveSignature',
    ]);
    const uploaded = JSON.parse(reports[13].body).details.resultLink;
    expect(JSON.parse(uploaded)).toEqual({
      storage: 'ipfs',
      location: `/ipfs/QmHashOf${id.slice(2, 10)}`,
    });

    // one keep-alive agent: far fewer TCP connections than REST calls
    // (the poll count varies with load: 25 on a loaded CI box)
    expect(api.length).toBeGreaterThan(20);
    expect(server.connections).toBeLessThan(api.length / 2);
    const snapshot = stats.snapshot();
    expect(snapshot.endpoints['R3 updateStatus'].calls).toBe(reports.length);
    expect(snapshot.endpoints['R1 available'].latency.count).toBeGreaterThan(0);
    expect(snapshot.endpoints['ResultProxy token'].byStatus).toEqual({ '200': 1 });
  });

  it('uploads with an explicit Result Proxy URL and fails on a refused token', async () => {
    const uploader = new HttpResultUploader(new HttpClient(), server.url);
    const account = workerAccount(1);
    const other = workerAccount(2);
    const authorization = {
      chainTaskId: taskId(31),
      workerWallet: account.address.toLowerCase(),
      enclaveChallenge: '0x0000000000000000000000000000000000000000',
      signature: { value: '0x00' },
    };
    const context = {
      account,
      wallet: authorization.workerWallet,
      resultRepositoryUrl: null,
      resultDigest: taskId(0),
    };
    const link = await uploader.upload(taskId(31), authorization, new Uint8Array([1, 2]), context);
    expect(JSON.parse(link).storage).toBe('ipfs');
    expect(server.uploads.get(taskId(31))!.model.zip).toBe('AQI=');
    await expect(
      uploader.upload(taskId(32), authorization, new Uint8Array([1]), {
        ...context,
        account: other,
      }),
    ).rejects.toThrow(/token: HTTP 401/);
  });
});
