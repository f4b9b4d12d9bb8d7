import { hexToString, pad, stringToHex, type Hex, type LocalAccount } from 'viem';
import { workerAccount } from '../../../../devstack/chain/accounts.js';
import { sendContractTx } from '../../../../devstack/chain/tx.js';
import { hubAbi } from '../../../../devstack/poco/abi.js';
import {
  ENCLAVE_SIGNATURE_PATH,
  startSms,
  type EnclaveSignatureAnswer,
  type SmsStandIn,
} from '../../../../devstack/services/sms.js';
import { ChainTaskStatus } from '../../../../src/chain/chain-status.js';
import {
  signMessageHash,
  signWorkerpoolAuthorization,
  smsChallengeAuthorizationSignature,
  workerpoolAuthorizationHash,
} from '../../../../src/chain/workerpool-authorization.js';
import { isolateChainPerFile, isolateChainPerTest, testChain } from '../../../support/chain.js';
import { digestOf, exchange, initializedTask, sharedDealSetup } from '../../../support/services.js';

const WORKERS = [0, 1, 2, 3, 4, 5, 6, 7, 8].map(workerAccount);

const chain = testChain();
const { roles, fixtures } = chain;
isolateChainPerFile(chain);
const shared = sharedDealSetup(chain, WORKERS);
isolateChainPerTest(chain);

let scone: SmsStandIn;
let gramine: SmsStandIn;
let tdx: SmsStandIn;
beforeAll(async () => {
  [scone, gramine, tdx] = await Promise.all([
    startSms({ deployment: chain.deployment, framework: 'SCONE' }),
    startSms({ deployment: chain.deployment, framework: 'GRAMINE' }),
    startSms({ deployment: chain.deployment, framework: 'TDX' }),
  ]);
});
afterAll(() => Promise.all([scone.stop(), gramine.stop(), tdx.stop()]));
afterEach(() => {
  scone.clear();
  scone.failChallenges(false);
});

async function challenge(
  taskId: string,
  signer: LocalAccount = roles.scheduler,
  sms: SmsStandIn = scone,
) {
  const signature = await smsChallengeAuthorizationSignature(signer, taskId);
  // what the scheduler sends: Content-Type json on a body-less POST
  return exchange('POST', `${sms.url}/tee/challenges/${taskId}`, {
    headers: { authorization: signature, 'content-type': 'application/json' },
  });
}

async function enclaveSignature(
  taskId: Hex,
  worker: LocalAccount,
  enclave: string,
  options: { caller?: LocalAccount; digest?: Hex } = {},
) {
  const auth = await signWorkerpoolAuthorization(roles.scheduler, {
    chainTaskId: taskId,
    workerWallet: worker.address,
    enclaveChallenge: enclave,
  });
  const hash = workerpoolAuthorizationHash(
    auth.workerWallet,
    auth.chainTaskId,
    auth.enclaveChallenge,
  );
  const header = await signMessageHash(options.caller ?? worker, hash);
  const res = await exchange('POST', `${scone.url}${ENCLAVE_SIGNATURE_PATH}`, {
    headers: { authorization: header },
    json: { workerpoolAuthorization: auth, resultDigest: options.digest ?? digestOf('tee') },
  });
  return { res, auth };
}

describe('SMS stand-in', () => {
  it('serves its framework as a JSON string', async () => {
    for (const [sms, framework] of [
      [scone, 'SCONE'],
      [gramine, 'GRAMINE'],
      [tdx, 'TDX'],
    ] as const) {
      const res = await exchange('GET', `${sms.url}/tee/framework`);
      expect([res.status, res.contentType, res.text]).toEqual([
        200,
        'application/json',
        `"${framework}"`,
      ]);
    }
    // the worker's read of its pre/post-compute images; another framework is a 409 (iexec-sms)
    const properties = await exchange('GET', `${tdx.url}/tee/properties/TDX/v1`);
    expect(properties.status).toBe(200);
    expect(JSON.parse(properties.text)).toMatchObject({
      teeFramework: 'TDX',
      teeFrameworkVersion: 'v1',
      preComputeProperties: { image: expect.any(String) },
      postComputeProperties: { image: expect.any(String) },
    });
    expect((await exchange('GET', `${tdx.url}/tee/properties/SCONE`)).status).toBe(409);
  });

  it('TDX SMS: the enclave challenge of a TDX task as for Scone; none for an unknown framework', async () => {
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x9 });
    const first = await challenge(taskId, roles.scheduler, tdx);
    expect([first.status, first.text]).toEqual([200, expect.stringMatching(/^0x[0-9a-f]{40}$/)]);
    expect((await challenge(taskId, roles.scheduler, tdx)).text).toBe(first.text);
    expect(tdx.enclaveAccount(taskId)?.address.toLowerCase()).toBe(first.text);
    // tag 0x1: TEE for PoCo but no framework: iexec-sms answers NO_MATCH_ONCHAIN_TYPE
    const unknown = await initializedTask(chain, { ...shared(), tag: 0x1 });
    expect((await challenge(unknown.taskId, roles.scheduler, tdx)).status).toBe(401);
    expect(tdx.enclaveAccount(unknown.taskId)).toBeUndefined();
  });

  it('creates the enclave challenge of an ACTIVE TEE task once and returns it again', async () => {
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x3 });
    const first = await challenge(taskId);
    expect([first.status, first.text]).toEqual([200, expect.stringMatching(/^0x[0-9a-f]{40}$/)]);
    expect((await challenge(taskId)).text).toBe(first.text);
    expect(scone.enclaveAccount(taskId)?.address.toLowerCase()).toBe(first.text);
    expect(scone.challengeCount()).toBe(2);
    expect(gramine.enclaveAccount(taskId)).toBeUndefined();
  });

  it('refuses a standard deal, another signer, a task that is not ACTIVE and malformed ids', async () => {
    const standard = await initializedTask(chain, shared());
    expect((await challenge(standard.taskId)).reason).toMatch(/not TEE/);
    const tee = await initializedTask(chain, { ...shared(), tag: 0x5 });
    const foreign = await challenge(tee.taskId, roles.requester);
    expect([foreign.status, foreign.reason]).toEqual([
      401,
      expect.stringMatching(/workerpool owner/),
    ]);
    const unsigned = await exchange('POST', `${scone.url}/tee/challenges/${tee.taskId}`);
    expect(unsigned.status).toBe(401);

    const deal = await fixtures.createDeal({ ...shared(), tag: 0x3 });
    expect((await challenge(deal.taskIds[0])).reason).toMatch(/not ACTIVE/);
    expect((await challenge('0x1234')).status).toBe(400);
    expect(scone.challengeCount()).toBe(0);
  });

  it('answers 404 while the test hook says the challenge cannot be produced', async () => {
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x3 });
    scone.failChallenges();
    expect((await challenge(taskId)).status).toBe(404);
    scone.failChallenges(false);
    expect((await challenge(taskId)).status).toBe(200);
  });

  it("signs a worker's result as the enclave, which PoCo accepts in contributeAndFinalize", async () => {
    const worker = workerAccount(0);
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x3, workers: [worker] });
    const enclave = (await challenge(taskId)).text;
    const digest = digestOf('tee result');
    const { res, auth } = await enclaveSignature(taskId, worker, enclave, { digest });
    expect(res.status).toBe(200);
    const answer = JSON.parse(res.text) as EnclaveSignatureAnswer;
    expect(answer).toMatchObject({
      chainTaskId: taskId,
      enclaveChallenge: enclave,
      resultDigest: digest,
    });

    const link = '/ipfs/QmTeeResult';
    await sendContractTx(chain.clients, worker, {
      address: chain.deployment.hub,
      abi: hubAbi,
      functionName: 'contributeAndFinalize',
      args: [
        taskId,
        digest,
        stringToHex(link),
        '0x',
        enclave,
        answer.enclaveSignature,
        auth.signature.value,
      ],
    });
    const task = await fixtures.viewTask(taskId);
    expect([task.status, hexToString(task.results)]).toEqual([ChainTaskStatus.COMPLETED, link]);
    // the task is no longer ACTIVE: no more challenge
    expect((await challenge(taskId)).status).toBe(401);
  });

  it('refuses the enclave signature to an impostor, another enclave, or before any challenge', async () => {
    const worker = workerAccount(1);
    const { taskId } = await initializedTask(chain, { ...shared(), tag: 0x3 });
    const early = await enclaveSignature(taskId, worker, workerAccount(8).address);
    expect([early.res.status, early.res.reason]).toEqual([
      404,
      expect.stringMatching(/no enclave/),
    ]);
    const enclave = (await challenge(taskId)).text;
    const impostor = await enclaveSignature(taskId, worker, enclave, { caller: workerAccount(2) });
    expect(impostor.res.status).toBe(401);
    const other = await enclaveSignature(taskId, worker, workerAccount(8).address);
    expect([other.res.status, other.res.reason]).toEqual([
      401,
      expect.stringMatching(/another enclave/),
    ]);
    const malformed = await exchange('POST', `${scone.url}${ENCLAVE_SIGNATURE_PATH}`, {
      json: { workerpoolAuthorization: { chainTaskId: taskId }, resultDigest: pad('0x1') },
    });
    expect(malformed.status).toBe(400);
  });
});
