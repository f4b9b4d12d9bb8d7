import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { deriveJwtSecret, signWorkerJwt } from '../../../src/worker/auth/jwt.js';
import {
  LOGIN_CHALLENGE_FACTORY,
  WorkerAuthService,
} from '../../../src/worker/auth/worker-auth.service.js';
import { AuthenticatedWallet, WorkerJwtGuard } from '../../../src/worker/auth/worker-jwt.guard.js';
import { WorkerModule } from '../../../src/worker/worker.module.js';
import { WorkerService } from '../../../src/worker/worker.service.js';
import { dropDatabase, isolatedMongoUrl } from '../../support/mongo.js';
import { RunningWorkerApp, startWorkerApp, TEST_SCHEDULER_KEY } from '../../support/worker-app.js';
import {
  signLoginChallenge,
  TestWorker,
  workerHeaders,
  jsonOf,
} from '../../support/worker-client.js';

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;
const AUDIENCE = 'iExec Scheduler v8.5.0';

async function expectEmpty(res: Response, status: number): Promise<void> {
  expect(res.status).toBe(status);
  expect(await res.text()).toBe('');
}

describe('worker authentication over HTTP (W1, W2, JWT guard)', () => {
  const url = isolatedMongoUrl('worker_auth');
  let running: RunningWorkerApp;
  let worker: TestWorker;
  beforeAll(async () => {
    running = await startWorkerApp({ env: { MONGO_URL: url } });
    worker = new TestWorker(running.baseUrl, generatePrivateKey());
  });
  afterAll(async () => {
    await running.close();
    await dropDatabase(url);
  });

  describe('W1 GET /workers/challenge', () => {
    it('answers a Base64 challenge as plain text, the same on repeated calls', async () => {
      const first = await worker.challenge();
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await first.text();
      expect(text).toMatch(BASE64_32_BYTES);
      expect(await (await worker.challenge()).text()).toBe(text);
    });

    it('gives different wallets (and other casings of one wallet) different challenges', async () => {
      const other = new TestWorker(running.baseUrl, generatePrivateKey());
      const upper = new TestWorker(running.baseUrl, worker.privateKey, worker.wallet.toUpperCase());
      const values = await Promise.all(
        [worker, other, upper].map(async (w) => (await w.challenge()).text()),
      );
      expect(new Set(values).size).toBe(3);
    });

    it('answers 400 with the framework error when walletAddress is missing', async () => {
      const res = await fetch(`${running.baseUrl}/workers/challenge`, { headers: workerHeaders() });
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toMatchObject({
        status: 400,
        error: 'Bad Request',
        path: '/workers/challenge',
      });
    });
  });

  describe('W2 POST /workers/login', () => {
    it('returns the JWT as plain text for a signature of the challenge, then issues a new challenge', async () => {
      const challenge = await (await worker.challenge()).text();
      const signature = await signLoginChallenge(challenge, worker.privateKey);
      expect(signature).toMatch(/^0x[0-9a-f]{128}(1b|1c)$/);
      const res = await worker.postLogin(signature);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const token = await res.text();
      expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(token.startsWith('Bearer')).toBe(false);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      expect(claims).toEqual({
        aud: AUDIENCE,
        iat: expect.any(Number),
        exp: claims.iat + 3600,
        sub: worker.wallet,
      });

      const next = await (await worker.challenge()).text();
      expect(next).not.toBe(challenge);
      // The consumed challenge's signature no longer logs in.
      await expectEmpty(await worker.postLogin(signature), 401);
    });

    it('returns the same token to two logins within the hour', async () => {
      expect(await worker.login()).toBe(await worker.login());
    });

    it('refuses a signature made by another key and keeps the challenge for a retry', async () => {
      const challenge = await (await worker.challenge()).text();
      const forged = await signLoginChallenge(challenge, generatePrivateKey());
      await expectEmpty(await worker.postLogin(forged), 401);
      expect(await (await worker.challenge()).text()).toBe(challenge);
      const good = await signLoginChallenge(challenge, worker.privateKey);
      expect((await worker.postLogin(good)).status).toBe(200);
    });

    it.each([
      ['a short value', '0x1234'],
      ['63 bytes', `0x${'11'.repeat(63)}`],
      ['non-hex', `0x${'zz'.repeat(65)}`],
      ['a number', 5],
      ['null', null],
    ])('answers 401 (not 500) for a malformed signature: %s', async (_label, value) => {
      await expectEmpty(await worker.postLogin(value), 401);
    });

    it('answers 401 to a body without value, 400 to no body or unreadable JSON or no walletAddress', async () => {
      const login = `${running.baseUrl}/workers/login?walletAddress=${worker.wallet}`;
      const post = (body?: string, target = login) =>
        fetch(target, { method: 'POST', headers: workerHeaders(), body });
      await expectEmpty(await post('{}'), 401);
      expect((await post()).status).toBe(400);
      expect((await post('{oops')).status).toBe(400);
      const missing = await post('{"value":"0x00"}', `${running.baseUrl}/workers/login`);
      expect(missing.status).toBe(400);
      expect(await jsonOf(missing)).toMatchObject({ status: 400, path: '/workers/login' });
    });
  });

  describe('JWT guard (on W3)', () => {
    const secret = deriveJwtSecret(TEST_SCHEDULER_KEY);
    const otherSecret = deriveJwtSecret(generatePrivateKey());
    const now = () => Math.floor(Date.now() / 1000);
    const jwt = (
      over: Partial<{ wallet: string; audience: string; iat: number; ttl: number }> = {},
      key = secret,
    ) =>
      signWorkerJwt(
        {
          walletAddress: over.wallet ?? '0xfeedfeedfeedfeedfeedfeedfeedfeedfeedfeed',
          audience: over.audience ?? AUDIENCE,
          issuedAtSeconds: over.iat ?? now(),
          ttlSeconds: over.ttl ?? 3600,
        },
        key,
      );
    const ping = (authorization?: string) =>
      fetch(`${running.baseUrl}/workers/ping`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
      });

    it('accepts a token minted with this scheduler secret for any wallet, without login', async () => {
      expect((await ping(`Bearer ${jwt()}`)).status).toBe(200);
    });

    it.each([
      ['no Authorization header', undefined],
      ['Not Bearer …', `Not Bearer ${jwt()}`],
      ['lowercase bearer', `bearer ${jwt()}`],
      ['no space', `Bearer${jwt()}`],
      ['garbage', 'Bearer not-a-jwt'],
      ['an empty token', 'Bearer '],
      ['another secret', `Bearer ${jwt({}, otherSecret)}`],
      ['an expired token (exp = iat)', `Bearer ${jwt({ ttl: 0 })}`],
      ['a token expired an hour ago', `Bearer ${jwt({ iat: now() - 7200 })}`],
      ['another audience', `Bearer ${jwt({ audience: 'iExec Scheduler v8.4.0' })}`],
      ['an unsigned token', `Bearer ${jwt().split('.').slice(0, 2).join('.')}.`],
      [
        'alg none',
        `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${jwt().split('.')[1]}.`,
      ],
    ])('answers 401 with an empty body for %s', async (_label, authorization) => {
      await expectEmpty(await ping(authorization), 401);
    });

    it('records no liveness for a rejected ping', async () => {
      const wallet = '0xdeaddeaddeaddeaddeaddeaddeaddeaddeaddead';
      await expectEmpty(await ping(`Bearer ${jwt({ wallet }, otherSecret)}`), 401);
      expect(running.moduleRef.get(WorkerService).isAlive(wallet)).toBe(false);
      expect((await ping(`Bearer ${jwt({ wallet })}`)).status).toBe(200);
      expect(running.moduleRef.get(WorkerService).isAlive(wallet)).toBe(true);
    });
  });
});

/** A controller of another module reusing the guard, as the replicate endpoints do. */
@Controller('probe')
class ProbeController {
  @Get()
  @UseGuards(WorkerJwtGuard)
  whoAmI(@AuthenticatedWallet() wallet: string): { wallet: string } {
    return { wallet };
  }
}

@Module({ imports: [WorkerModule], controllers: [ProbeController] })
class ProbeModule {}

describe('WorkerJwtGuard and @AuthenticatedWallet() in another module', () => {
  const url = isolatedMongoUrl('worker_guard');
  let running: RunningWorkerApp;
  beforeAll(async () => {
    running = await startWorkerApp({ env: { MONGO_URL: url }, imports: [ProbeModule] });
  });
  afterAll(async () => {
    await running.close();
    await dropDatabase(url);
  });

  it('authenticates with the token of a login and gives the wallet string as logged in', async () => {
    const w = new TestWorker(running.baseUrl, generatePrivateKey());
    const token = await w.login();
    const res = await fetch(`${running.baseUrl}/probe`, { headers: workerHeaders(token) });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ wallet: w.wallet });
    await expectEmpty(await fetch(`${running.baseUrl}/probe`, { headers: workerHeaders() }), 401);
  });
});

describe('worker whitelist', () => {
  const url = isolatedMongoUrl('worker_whitelist');
  const admittedKey = generatePrivateKey();
  const admitted = privateKeyToAccount(admittedKey).address.toLowerCase();
  let running: RunningWorkerApp;
  beforeAll(async () => {
    running = await startWorkerApp({
      env: { MONGO_URL: url, IEXEC_WORKERS_WHITELIST: `${admitted}, 0x${'1'.repeat(40)}` },
    });
  });
  afterAll(async () => {
    await running.close();
    await dropDatabase(url);
  });

  it('admits listed wallets only, with an exact case-sensitive comparison', async () => {
    const listed = new TestWorker(running.baseUrl, admittedKey);
    expect((await listed.challenge()).status).toBe(200);
    expect(typeof (await listed.login())).toBe('string');

    const checksummed = new TestWorker(
      running.baseUrl,
      admittedKey,
      privateKeyToAccount(admittedKey).address,
    );
    await expectEmpty(await checksummed.challenge(), 401);
  });

  it('refuses others with 401, creates no challenge, and refuses their login even with a good signature', async () => {
    const auth = running.moduleRef.get(WorkerAuthService);
    const store = (auth as unknown as { challenges: { size: number } }).challenges;
    const before = store.size;
    const stranger = new TestWorker(running.baseUrl, generatePrivateKey());
    await expectEmpty(await stranger.challenge(), 401);
    expect(store.size).toBe(before);
    // A good signature of what would be its challenge: still refused before any verification.
    const someChallenge = 'q9m0c5kYV1y4o4vQ0A4s8e8lXQqz9m3a8m3y1YV1y4o=';
    await expectEmpty(
      await stranger.postLogin(await signLoginChallenge(someChallenge, stranger.privateKey)),
      401,
    );
    expect(store.size).toBe(before);
  });
});

describe('login test vector of worker-api.md §13', () => {
  const url = isolatedMongoUrl('worker_vector');
  const wallet = '0x108ca59d5d0eec2ff66003f8909eb40addd1a67d';
  let running: RunningWorkerApp;
  beforeAll(async () => {
    running = await startWorkerApp({
      env: { MONGO_URL: url },
      providers: [{ provide: LOGIN_CHALLENGE_FACTORY, useValue: () => 'challenge' }],
    });
  });
  afterAll(async () => {
    await running.close();
    await dropDatabase(url);
  });

  it('accepts the known-good signature of "challenge" and refuses the bad one', async () => {
    const w = new TestWorker(running.baseUrl, TEST_SCHEDULER_KEY, wallet);
    expect(await (await w.challenge()).text()).toBe('challenge');
    await expectEmpty(
      await w.postLogin(
        '0xab5861286e8ef54febad4e606d7e7f32bec8e017a909bfa54e95ad6a7d42dc3f1cab39bacff7aeb15514d41750a3d7da0b21759063c50db1a8ac378062977ba51b',
      ),
      401,
    );
    const res = await w.postLogin(
      '0xf11e72d3a1d6e13c5187862cfa0342f135909f36c369e01f2392ad19daee781377328a1441ac993f518d7024aafed664508d8dadf42ebdd97394ebfeb5b837121c',
    );
    expect(res.status).toBe(200);
    const token = await res.text();
    expect((await w.ping(token)).status).toBe(200);
  });
});
