import { privateKeyToAccount } from 'viem/accounts';
import { ChainContext } from '../../../src/chain/chain-context.js';
import { AppConfig } from '../../../src/config/app-config.js';
import type { ChainDeal } from '../../../src/chain/chain-models.js';
import { PocoReader } from '../../../src/chain/poco-reader.js';
import { ComputeLogsService } from '../../../src/logs/compute-logs.service.js';
import { logsChallengeDigest } from '../../../src/logs/logs-challenge.js';
import { LogsChallengeStore } from '../../../src/logs/logs-challenge.store.js';
import { TaskLogsRepository } from '../../../src/logs/task-logs.repository.js';
import { ReplicateStatus, ReplicateStatusCause } from '../../../src/replicate/replicate-status.js';
import { TaskRepository } from '../../../src/task/task.repository.js';
import { jsonOf, RunningApp, startTestApp } from '../../support/app.js';
import { chainlessEnv } from '../../support/chain-env.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { DEAL_ID, newTask, taskId } from '../../support/read-api-fixtures.js';

// T3–T7 (worker-api.md §2.8, §9.3, §13, §14 items 46–47) and the compute logs arrival rules
// (persistence-and-ops.md §3.1, edge case 5), over real HTTP against the Mongo-wire server.
//
// The deal requester is read on chain in production (task → chainDealId → PocoReader.getChainDeal);
// here a PocoReader double answers a deal with a known requester: this file tests HTTP + Mongo,
// the chain read itself is covered by the chain tests. The challenge store is a subclass whose
// first challenge for the §13 key is the §13 challenge text, so the reference vector runs end to end.

const VECTOR_KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';
const REQUESTER = '0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf';
const VECTOR_CHALLENGE = 'dGhpcyBpcyBhIHRlc3QgY2hhbGxlbmdlIDEyMzQ1Njc4OTA=';
const VECTOR_DIGEST = '0xf294d2f6a29275a24759b90089fd317c28ca6295bc26c5e0d9503b6e2c00d105';
const VECTOR_SIGNATURE =
  '0x036d2dfd56437d27606600851dd402ac39e4b395c2de9a3cf54db1c918f03ceb44186069258ccc8c5a726d4513abec20f4bd506f53fb38a4808569817c7ced051b';
const VECTOR_HEADER = `${VECTOR_DIGEST}_${VECTOR_SIGNATURE}_${REQUESTER}`;
const OTHER_DEAL = '0x' + 'ee'.repeat(32);
const UNREADABLE_DEAL = '0x' + 'dd'.repeat(32);
const WORKER_A = '0x1a69b2eb604db8eba185df03ea4f5288dcbbd248';
const WORKER_B = '0x2b69b2eb604db8eba185df03ea4f5288dcbbd249';

/** Status and `error` of a JSON error answer: what the iExec SDK prints after "API error: ". */
async function errorOf(res: Response): Promise<[number, string]> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return [res.status, ((await jsonOf(res)) as { error: string }).error];
}

class KnownRequesterPocoReader extends PocoReader {
  readonly dealReads: string[] = [];
  override async getChainDeal(chainDealId: string): Promise<ChainDeal | undefined> {
    this.dealReads.push(chainDealId);
    if (chainDealId === UNREADABLE_DEAL) return undefined;
    return { chainDealId, requester: REQUESTER } as unknown as ChainDeal;
  }
}

class VectorChallengeStore extends LogsChallengeStore {
  private vectorIssued = false;
  protected override generate(address: string): string {
    if (address === REQUESTER && !this.vectorIssued) {
      this.vectorIssued = true;
      return VECTOR_CHALLENGE;
    }
    return super.generate(address);
  }
}

describe('compute logs endpoints', () => {
  const url = isolatedMongoUrl('tasklogs');
  let running: RunningApp;
  let base: string;
  let poco: KnownRequesterPocoReader;
  const get = (path: string, authorization?: string) =>
    fetch(`${base}${path}`, authorization === undefined ? {} : { headers: { authorization } });

  beforeAll(async () => {
    running = await startTestApp(
      { MONGO_URL: url, ...(await chainlessEnv(134)) },
      {
        override: (b) =>
          b
            .overrideProvider(PocoReader)
            .useFactory({
              factory: (c: ChainContext, config: AppConfig) =>
                new KnownRequesterPocoReader(c, config),
              inject: [ChainContext, AppConfig],
            })
            .overrideProvider(LogsChallengeStore)
            .useClass(VectorChallengeStore),
      },
    );
    base = running.baseUrl;
    poco = running.app.get(PocoReader) as KnownRequesterPocoReader;
    await running.app
      .get(TaskRepository)
      .insertMany([
        newTask(1),
        newTask(2),
        newTask(3),
        newTask(4, { chainDealId: OTHER_DEAL, taskIndex: 0 }),
        newTask(5, { chainDealId: UNREADABLE_DEAL, taskIndex: 0 }),
      ]);
    const logs = running.app.get(ComputeLogsService);
    await logs.storeFromStatusUpdate(taskId(1), WORKER_A, ReplicateStatus.COMPUTED, undefined, {
      walletAddress: '0xspoofed',
      stdout: 'hello',
      stderr: '',
    });
    await logs.storeFromStatusUpdate(
      taskId(1),
      WORKER_B,
      ReplicateStatus.COMPUTE_FAILED,
      ReplicateStatusCause.APP_COMPUTE_FAILED,
      {
        stdout: 'out',
        stderr: 'boom',
      },
    );
  });

  afterAll(async () => {
    await running?.close();
    await dropDatabase(url);
  });

  describe('T3 challenge', () => {
    it('serves the §13 challenge as EIP-712 typed data whose digest is the §13 digest', async () => {
      const res = await get(`/tasks/logs/challenge?address=${REQUESTER.toLowerCase()}`);
      expect(res.status).toBe(200);
      const body = await jsonOf(res);
      expect(body).toEqual({
        types: {
          EIP712Domain: [
            { name: 'name', type: 'string' },
            { name: 'version', type: 'string' },
            { name: 'chainId', type: 'uint256' },
          ],
          Challenge: [{ name: 'challenge', type: 'string' }],
        },
        domain: { name: 'iExec Core', version: '1', chainId: 134 },
        primaryType: 'Challenge',
        message: { challenge: VECTOR_CHALLENGE },
      });
      expect(logsChallengeDigest(body.message.challenge, body.domain.chainId)).toBe(VECTOR_DIGEST);
    });

    it('is the same for every casing of one wallet, and differs across wallets', async () => {
      const challengeOf = async (address: string) =>
        (await jsonOf(await get(`/tasks/logs/challenge?address=${address}`))).message.challenge;
      const wallet = '0x748e091bf16048cb5103E0E10F9D5a8b7fBDd860';
      const first = await challengeOf(wallet);
      expect(await challengeOf(wallet)).toBe(first);
      expect(await challengeOf(wallet.toLowerCase())).toBe(first);
      expect(await challengeOf('0x' + wallet.slice(2).toUpperCase())).toBe(first);
      expect(await challengeOf(WORKER_A)).not.toBe(first);
      expect(first).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    });

    it('answers 400 naming the reason without an address or with something that is not one', async () => {
      expect(await errorOf(await get('/tasks/logs/challenge'))).toEqual([
        400,
        "Bad Request: Required parameter 'address' is not present.",
      ]);
      expect(await errorOf(await get('/tasks/logs/challenge?address=0x42'))).toEqual([
        400,
        'Bad Request: Not an address: 0x42',
      ]);
    });
  });

  describe.each([
    ['logs', 'T4'],
    ['stdout', 'T5 (deprecated alias)'],
  ])('GET /tasks/{id}/%s — %s', (suffix) => {
    const path = (i: number) => `/tasks/${taskId(i)}/${suffix}`;

    it('answers 200 with every worker logs for the §13 header (nulls and empties omitted)', async () => {
      const res = await get(path(1), VECTOR_HEADER);
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toEqual({
        chainTaskId: taskId(1),
        computeLogsList: [
          { walletAddress: WORKER_A, stdout: 'hello' },
          { walletAddress: WORKER_B, stdout: 'out', stderr: 'boom' },
        ],
      });
    });

    it('answers 404 naming the reason when nothing was captured for the task', async () => {
      expect(await errorOf(await get(path(2), VECTOR_HEADER))).toEqual([
        404,
        `Not Found: no compute logs for task ${taskId(2)}`,
      ]);
    });

    it('answers 401 naming the reason for a signature over another challenge', async () => {
      const digest = logsChallengeDigest('another challenge', 134);
      const signature = await privateKeyToAccount(VECTOR_KEY).sign({ hash: digest });
      expect(await errorOf(await get(path(1), `${digest}_${signature}_${REQUESTER}`))).toEqual([
        401,
        `Unauthorized: the signature is not over the current challenge of ${REQUESTER} (GET /tasks/logs/challenge)`,
      ]);
    });

    it('answers 401 without any chain access for an empty or malformed header', async () => {
      const reads = poco.dealReads.length;
      for (const header of [
        '',
        'garbage',
        'a_b',
        'a_b_c_d',
        `${VECTOR_DIGEST}_${VECTOR_SIGNATURE}`,
      ]) {
        const res = await get(path(1), header);
        expect([header, ...(await errorOf(res))]).toEqual([
          header,
          401,
          'Unauthorized: Authorization is not <digest>_<signature>_<address>',
        ]);
      }
      expect(poco.dealReads.length).toBe(reads);
    });

    it('answers 400 with a Spring-style error when the header is absent', async () => {
      const res = await get(path(1));
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({
        status: 400,
        error: "Bad Request: Required request header 'Authorization' is not present.",
        message: "Required request header 'Authorization' is not present.",
        path: path(1),
      });
    });

    it('answers 403 when the caller is not the requester, the task unknown or the deal unreadable', async () => {
      const stranger = '0x0000000000000000000000000000000000000001';
      expect(
        await errorOf(await get(path(1), `${VECTOR_DIGEST}_${VECTOR_SIGNATURE}_${stranger}`)),
      ).toEqual([403, `Forbidden: ${stranger} is not the requester of task ${taskId(1)}`]);
      for (const i of [99, 5]) {
        expect(await errorOf(await get(path(i), VECTOR_HEADER))).toEqual([
          403,
          `Forbidden: the requester of task ${taskId(i)} is unknown (a task unknown to this scheduler, or its deal unreadable)`,
        ]);
      }
    });

    it('compares the requester case-insensitively (a trailing empty part does not count)', async () => {
      expect(
        (await get(path(1), `${VECTOR_DIGEST}_${VECTOR_SIGNATURE}_${REQUESTER.toLowerCase()}_`))
          .status,
      ).toBe(200);
    });
  });

  describe.each([
    ['logs', 'T6'],
    ['stdout', 'T7 (deprecated alias)'],
  ])('GET /tasks/{id}/replicates/{wallet}/%s — %s', (suffix) => {
    const path = (i: number, wallet: string) =>
      `/tasks/${taskId(i)}/replicates/${wallet}/${suffix}`;

    it('answers 200 with that worker logs only, empties omitted', async () => {
      const res = await get(path(1, WORKER_B), VECTOR_HEADER);
      expect(res.status).toBe(200);
      expect(await jsonOf(res)).toEqual({ walletAddress: WORKER_B, stdout: 'out', stderr: 'boom' });
      expect(await jsonOf(await get(path(1, WORKER_A), VECTOR_HEADER))).toEqual({
        walletAddress: WORKER_A,
        stdout: 'hello',
      });
    });

    it('answers 404 for a wallet without logs on a task with logs, and for a task without logs', async () => {
      expect(
        (await get(path(1, '0x0000000000000000000000000000000000000bad'), VECTOR_HEADER)).status,
      ).toBe(404);
      expect((await get(path(1, WORKER_A.toUpperCase()), VECTOR_HEADER)).status).toBe(404);
      expect(await errorOf(await get(path(2, WORKER_A), VECTOR_HEADER))).toEqual([
        404,
        `Not Found: no compute logs of ${WORKER_A} for task ${taskId(2)}`,
      ]);
    });

    it('applies the same checks as T4', async () => {
      expect((await get(path(1, WORKER_A))).status).toBe(400);
      expect((await get(path(1, WORKER_A), '')).status).toBe(401);
      expect(
        (await get(path(1, WORKER_A), `${VECTOR_DIGEST}_${VECTOR_SIGNATURE}_${WORKER_A}`)).status,
      ).toBe(403);
      const digest = logsChallengeDigest('another challenge', 134);
      const signature = await privateKeyToAccount(VECTOR_KEY).sign({ hash: digest });
      expect((await get(path(1, WORKER_A), `${digest}_${signature}_${REQUESTER}`)).status).toBe(
        401,
      );
    });
  });

  it('reads the requester of a deal once (cached per deal)', async () => {
    const before = poco.dealReads.filter((d) => d === OTHER_DEAL).length;
    expect(before).toBe(0);
    await get(`/tasks/${taskId(4)}/logs`, VECTOR_HEADER);
    await get(`/tasks/${taskId(4)}/logs`, VECTOR_HEADER);
    expect(poco.dealReads.filter((d) => d === OTHER_DEAL)).toEqual([OTHER_DEAL]);
    expect(poco.dealReads.filter((d) => d === DEAL_ID)).toEqual([DEAL_ID]);
  });

  describe('arrival rules (ComputeLogsService.storeFromStatusUpdate)', () => {
    const stored = async (i: number) =>
      (await running.app.get(TaskLogsRepository).findByChainTaskId(taskId(i)))?.computeLogsList ??
      null;

    it('stores COMPUTED logs tailed to their last 100,000 characters, attributed to the caller', async () => {
      const service = running.app.get(ComputeLogsService);
      const long = 'x'.repeat(50) + 'y'.repeat(100_000);
      expect(
        await service.storeFromStatusUpdate(taskId(3), WORKER_A, ReplicateStatus.COMPUTED, null, {
          walletAddress: WORKER_B,
          stdout: long,
          stderr: 'e'.repeat(100_001),
        }),
      ).toBe(true);
      const list = await stored(3);
      expect(list).toHaveLength(1);
      expect(list![0].walletAddress).toBe(WORKER_A);
      expect(list![0].stdout).toBe('y'.repeat(100_000));
      expect(list![0].stderr).toBe('e'.repeat(100_000));
    });

    it('keeps the first logs of a wallet', async () => {
      const service = running.app.get(ComputeLogsService);
      expect(
        await service.storeFromStatusUpdate(taskId(3), WORKER_A, ReplicateStatus.COMPUTED, null, {
          stdout: 'second',
        }),
      ).toBe(true);
      expect((await stored(3))![0].stdout).toBe('y'.repeat(100_000));
    });

    it('stores nothing for null logs, other statuses or another compute failure cause', async () => {
      const service = running.app.get(ComputeLogsService);
      expect(
        await service.storeFromStatusUpdate(
          taskId(2),
          WORKER_A,
          ReplicateStatus.COMPUTED,
          null,
          null,
        ),
      ).toBe(false);
      expect(
        await service.storeFromStatusUpdate(
          taskId(2),
          WORKER_A,
          ReplicateStatus.COMPUTED,
          null,
          undefined,
        ),
      ).toBe(false);
      expect(
        await service.storeFromStatusUpdate(
          taskId(2),
          WORKER_A,
          ReplicateStatus.COMPUTE_FAILED,
          ReplicateStatusCause.POST_COMPUTE_TIMEOUT,
          { stdout: 'x' },
        ),
      ).toBe(false);
      expect(
        await service.storeFromStatusUpdate(
          taskId(2),
          WORKER_A,
          ReplicateStatus.COMPUTE_FAILED,
          null,
          { stdout: 'x' },
        ),
      ).toBe(false);
      expect(
        await service.storeFromStatusUpdate(
          taskId(2),
          WORKER_A,
          ReplicateStatus.CONTRIBUTED,
          null,
          { stdout: 'x' },
        ),
      ).toBe(false);
      expect(await stored(2)).toBeNull();
    });

    it('deletes by task ids, unknown ids being a no-op', async () => {
      const repository = running.app.get(TaskLogsRepository);
      expect(await repository.deleteByChainTaskIds([taskId(3), taskId(404)])).toBe(1);
      expect(await stored(3)).toBeNull();
      expect(await repository.deleteByChainTaskIds([taskId(404)])).toBe(0);
      expect(await stored(1)).toHaveLength(2);
    });
  });
});
