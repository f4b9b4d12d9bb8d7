import { generatePrivateKey } from 'viem/accounts';
import { BODY_LIMIT_BYTES } from '../../../src/common/http/http-app.js';
import { startLoggedInWorker, stopWorkerApp } from '../../support/logged-in-worker.js';
import { isolatedMongoUrl } from '../../support/mongo.js';
import type { RunningWorkerApp } from '../../support/worker-app.js';
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
