import { encodePacked, keccak256, pad, type Hex, type LocalAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { workerAccount } from '../../../../devstack/chain/accounts.js';
import { resultHashOf, resultSealOf } from '../../../../devstack/poco/signatures.js';
import {
  startResultProxy,
  type ResultProxyStandIn,
} from '../../../../devstack/services/result-proxy.js';
import { ZERO_ADDRESS } from '../../../../src/chain/chain-models.js';
import {
  signMessageHash,
  signWorkerpoolAuthorization,
  workerpoolAuthorizationHash,
} from '../../../../src/chain/workerpool-authorization.js';
import { isolateChainPerFile, isolateChainPerTest, testChain } from '../../../support/chain.js';
import {
  digestOf,
  sharedDealSetup,
  exchange,
  initializedTask,
  revealedTask,
  type Exchange,
} from '../../../support/services.js';

const WORKERS = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(workerAccount);

const chain = testChain();
const { roles, control } = chain;
isolateChainPerFile(chain);
const shared = sharedDealSetup(chain, WORKERS);
isolateChainPerTest(chain);

let proxy: ResultProxyStandIn;
beforeAll(async () => {
  proxy = await startResultProxy({ deployment: chain.deployment });
});
afterAll(() => proxy.stop());
afterEach(() => proxy.clear());

interface TokenRequest {
  /** Signs the authorization (default: the scheduler, owner of the workerpool). */
  signer?: LocalAccount;
  /** Signs the Authorization header (default: the worker itself). */
  caller?: LocalAccount;
  enclave?: Hex;
}

/** POST /v1/results/token as `worker` holding an authorization for `taskId`. */
async function requestToken(
  taskId: Hex,
  worker: LocalAccount,
  request: TokenRequest = {},
): Promise<Exchange> {
  const auth = await signWorkerpoolAuthorization(request.signer ?? roles.scheduler, {
    chainTaskId: taskId,
    workerWallet: worker.address,
    enclaveChallenge: request.enclave ?? ZERO_ADDRESS,
  });
  const hash = workerpoolAuthorizationHash(
    auth.workerWallet,
    auth.chainTaskId,
    auth.enclaveChallenge,
  );
  const header = await signMessageHash(request.caller ?? worker, hash);
  return exchange('POST', `${proxy.url}/v1/results/token`, {
    headers: { authorization: header },
    json: auth,
  });
}

const head = (taskId: string, token: string) =>
  exchange('HEAD', `${proxy.url}/v1/results/${taskId}`, { headers: { authorization: token } });

const upload = (token: string, model: Record<string, unknown>) =>
  exchange('POST', `${proxy.url}/v1/results`, { headers: { authorization: token }, json: model });

describe('Result Proxy stand-in', () => {
  it("answers the scheduler's check: token with its own authorization, then HEAD 404 / 204", async () => {
    const { taskId } = await initializedTask(chain, shared());
    // services.md §6.3: worker = scheduler, header = the authorization's own signature
    const auth = await signWorkerpoolAuthorization(roles.scheduler, {
      chainTaskId: taskId,
      workerWallet: roles.scheduler.address.toLowerCase(),
      enclaveChallenge: ZERO_ADDRESS,
    });
    const token = await exchange('POST', `${proxy.url}/v1/results/token`, {
      headers: { authorization: auth.signature.value, 'content-type': 'application/json' },
      body: JSON.stringify(auth),
    });
    expect(token.status).toBe(200);
    expect(token.text).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await head(taskId, token.text)).toMatchObject({ status: 404, text: '' });
    proxy.store(taskId, Buffer.from('zip'));
    expect(await head(taskId, token.text)).toMatchObject({ status: 204, text: '' });
    // deprecated path
    const old = await exchange('HEAD', `${proxy.url}/results/${taskId}`, {
      headers: { authorization: token.text },
    });
    expect(old.status).toBe(204);
  });

  it('refuses a token to a foreign authorization, a wrong caller, a TEE mismatch or an unknown task', async () => {
    const worker = workerAccount(0);
    const { taskId } = await initializedTask(chain, shared());
    expect((await requestToken(taskId, worker)).status).toBe(200);

    const foreign = await requestToken(taskId, worker, { signer: roles.appOwner });
    expect([foreign.status, foreign.reason]).toEqual([
      401,
      expect.stringMatching(/workerpool owner/),
    ]);
    const impostor = await requestToken(taskId, worker, { caller: workerAccount(1) });
    expect([impostor.status, impostor.reason]).toEqual([
      401,
      expect.stringMatching(/workerWallet/),
    ]);
    const tee = await requestToken(taskId, worker, { enclave: workerAccount(5).address });
    expect([tee.status, tee.reason]).toEqual([401, expect.stringMatching(/deal tag/)]);
    const unknown = await requestToken(pad('0xabcdef'), worker);
    expect([unknown.status, unknown.reason]).toEqual([
      401,
      expect.stringMatching(/not initialized/),
    ]);
    expect(proxy.tokenCount()).toBe(1);
  });

  it('refuses a token once the final deadline has passed', async () => {
    const { taskId } = await initializedTask(chain, shared());
    await control.increaseTime(300 * 10);
    const late = await requestToken(taskId, workerAccount(0));
    expect([late.status, late.reason]).toEqual([401, expect.stringMatching(/final deadline/)]);
  });

  it('answers 400 to malformed token requests, 401 to bad tokens and 404 to unknown routes', async () => {
    const { taskId } = await initializedTask(chain, shared());
    const url = `${proxy.url}/v1/results/token`;
    expect((await exchange('POST', url, { headers: { authorization: '0x00' } })).status).toBe(400);
    expect((await exchange('POST', url, { json: { chainTaskId: taskId } })).status).toBe(400);
    expect((await exchange('POST', url, { body: '{nope' })).status).toBe(400);
    expect((await head(taskId, 'not-a-token')).status).toBe(401);
    expect((await head(taskId, '')).status).toBe(401);
    const token = (await requestToken(taskId, workerAccount(0))).text;
    expect((await head(pad('0x01'), token)).status).toBe(401);
    expect((await upload('bad', { chainTaskId: taskId })).status).toBe(401);
    expect((await exchange('GET', `${proxy.url}/v2/results`)).status).toBe(404);
    expect((await exchange('GET', `${proxy.url}/v1/results/${taskId}`)).status).toBe(404);
  });

  it('stores the result of the worker that revealed it and serves it by task and by link', async () => {
    const worker = workerAccount(0);
    const digest = digestOf('standard result');
    const { taskId } = await revealedTask(chain, digest, worker, shared());
    const token = (await requestToken(taskId, worker)).text;
    const zip = Buffer.from('PK\u0003\u0004 pretend zip');

    const wrong = await upload(token, {
      chainTaskId: taskId,
      deterministHash: digestOf('other'),
      zip: '',
    });
    expect([wrong.status, wrong.reason]).toEqual([401, expect.stringMatching(/deterministHash/)]);
    const badZip = await upload(token, { chainTaskId: taskId, deterministHash: digest, zip: '%%' });
    expect(badZip.status).toBe(400);

    const res = await upload(token, {
      chainTaskId: taskId,
      deterministHash: digest,
      zip: zip.toString('base64'),
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^\/ipfs\/Qm[1-9A-HJ-NP-Za-km-z]{44}$/);
    expect(proxy.uploaded(taskId)).toMatchObject({
      link: res.text,
      uploader: worker.address.toLowerCase(),
    });
    expect(proxy.uploaded(taskId)!.bytes.equals(zip)).toBe(true);
    expect((await head(taskId, token)).status).toBe(204);
    expect((await upload(token, { chainTaskId: taskId, deterministHash: digest })).reason).toMatch(
      /already uploaded/,
    );

    const byTask = await exchange('GET', `${proxy.url}/v1/results/${taskId}`);
    expect([byTask.status, byTask.contentType]).toEqual([200, 'application/zip']);
    expect(byTask.bytes.equals(zip)).toBe(true);
    expect((await exchange('GET', `${proxy.url}${res.text}`)).bytes.equals(zip)).toBe(true);
    const hash = await exchange('GET', `${proxy.url}/v1/results/${taskId}/ipfshash`);
    expect(`/ipfs/${hash.text}`).toBe(res.text);
  });

  it('refuses an upload by a worker that has not revealed, or with a token for another task', async () => {
    const digest = digestOf('not revealed');
    const { taskId } = await initializedTask(chain, shared());
    const token = (await requestToken(taskId, workerAccount(0))).text;
    const early = await upload(token, { chainTaskId: taskId, deterministHash: digest });
    expect([early.status, early.reason]).toEqual([401, expect.stringMatching(/not REVEALED/)]);
    const other = await initializedTask(chain, shared());
    const crossed = await upload(token, { chainTaskId: other.taskId, deterministHash: digest });
    expect([crossed.status, crossed.reason]).toEqual([401, expect.stringMatching(/another task/)]);
  });

  it('stores a TEE result signed by the enclave of the authorization', async () => {
    const worker = workerAccount(1);
    const enclave = privateKeyToAccount(generatePrivateKey());
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x3 });
    // a TEE deal needs an enclave in the authorization
    expect((await requestToken(taskId, worker)).status).toBe(401);
    const token = (await requestToken(taskId, worker, { enclave: enclave.address })).text;
    const digest = digestOf('tee result');
    const resultHash = resultHashOf(taskId, digest);
    const resultSeal = resultSealOf(worker.address, taskId, digest);
    const message = keccak256(encodePacked(['bytes32', 'bytes32'], [resultHash, resultSeal]));
    const forged = await workerAccount(7).signMessage({ message: { raw: message } });
    const model = { chainTaskId: taskId, deterministHash: digest, zip: 'AA==' };
    expect((await upload(token, { ...model, enclaveSignature: forged })).reason).toMatch(/enclave/);
    const signed = await enclave.signMessage({ message: { raw: message } });
    expect((await upload(token, { ...model, enclaveSignature: signed })).status).toBe(200);
    expect(proxy.uploaded(taskId)?.deterministHash).toBe(digest);
  });
});
