import { generatePrivateKey } from 'viem/accounts';
import { BODY_LIMIT_BYTES } from '../../../src/common/http/http-app.js';
import { startLoggedInWorker, stopWorkerApp } from '../../support/logged-in-worker.js';
import { isolatedMongoUrl } from '../../support/mongo.js';
import { RunningWorkerApp, startWorkerApp } from '../../support/worker-app.js';
import { jsonOf, TestWorker, workerHeaders } from '../../support/worker-client.js';

// Limits on what anonymous and authenticated callers can send (issue 18 §3), over real HTTP.
describe('HTTP input limits', () => {
  const url = isolatedMongoUrl('http_limits');
  let running: RunningWorkerApp;
  let worker: TestWorker;
  let token: string;
  beforeAll(async () => ({ running, worker, token } = await startLoggedInWorker(url)));
  afterAll(() => stopWorkerApp(running, url));

  it('refuses a body over the default limit with 413 on every route but the status update', async () => {
    const padding = 'x'.repeat(BODY_LIMIT_BYTES);
    const res = await worker.register(token, { walletAddress: worker.wallet, name: padding });
    expect(res.status).toBe(413);
    expect(await jsonOf(res)).toMatchObject({ status: 413, error: 'Payload Too Large' });
    expect((await worker.register(token)).status).toBe(200);
  });

  it('refuses prototype-poisoning JSON with 400 and a reason', async () => {
    const res = await fetch(`${running.baseUrl}/workers/register`, {
      method: 'POST',
      headers: workerHeaders(token),
      body: `{"walletAddress":"${worker.wallet}","__proto__":{"admin":true}}`,
    });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toContain('__proto__');
  });

  it('refuses a challenge for a string that is not a wallet address, naming the parameter', async () => {
    for (const wallet of ['alice', `0x${'g'.repeat(40)}`, `0x${'a'.repeat(41)}`, '']) {
      const res = await new TestWorker(running.baseUrl, generatePrivateKey(), wallet).challenge();
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).message).toContain("'walletAddress' must be a wallet address");
    }
  });
});

describe('rate limit of the anonymous endpoints', () => {
  const url = isolatedMongoUrl('http_rate_limit');
  let running: RunningWorkerApp;
  beforeAll(async () => {
    running = await startWorkerApp({ env: { MONGO_URL: url, IEXEC_ANONYMOUS_RATE_LIMIT: '5' } });
  });
  afterAll(() => stopWorkerApp(running, url));

  it('answers 429 past the limit per client and route, and leaves guarded routes alone', async () => {
    const worker = new TestWorker(running.baseUrl, generatePrivateKey());
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await worker.challenge()).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await worker.challenge();
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await jsonOf(refused)).toMatchObject({
      status: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/^Rate limit exceeded/),
      path: '/workers/challenge',
    });
    // Another route has its own count; routes without the limit are not counted.
    const stranger = new TestWorker(running.baseUrl, generatePrivateKey());
    const login = await fetch(`${running.baseUrl}/workers/login?walletAddress=${stranger.wallet}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"value":"0x00"}',
    });
    expect(login.status).toBe(401);
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${running.baseUrl}/workers/config`)).status).toBe(200);
    }
  });
});
