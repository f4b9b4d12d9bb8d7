// The scheduler's own service clients (src/) against the stand-ins, configured only from the
// environment startServiceStandIns returns: proves the stand-ins speak what the scheduler sends.
import { HttpService } from '@nestjs/axios';
import { Logger } from '@nestjs/common';
import { getAddress, hexToString, type Hex } from 'viem';
import { workerAccount } from '../../../../devstack/chain/accounts.js';
import {
  startServiceStandIns,
  type ServiceStandIns,
} from '../../../../devstack/services/stand-ins.js';
import type { ChainContext } from '../../../../src/chain/chain-context.js';
import { fetchChainConfig } from '../../../../src/chain/chain-context.js';
import { ChainTaskStatus } from '../../../../src/chain/chain-status.js';
import { AdapterChainWriter } from '../../../../src/chain/writer/adapter-chain-writer.js';
import type { ChainCommand } from '../../../../src/chain/writer/chain-writer.js';
import { ZERO_ADDRESS } from '../../../../src/chain/chain-models.js';
import {
  signMessageHash,
  signWorkerpoolAuthorization,
  workerpoolAuthorizationHash,
} from '../../../../src/chain/workerpool-authorization.js';
import type { JobScheduler } from '../../../../src/common/jobs/job-scheduler.js';
import type { AppConfig } from '../../../../src/config/app-config.js';
import { resolveSmsUrls } from '../../../../src/platform-registry/platform-registry.module.js';
import { ResultService } from '../../../../src/result/result.service.js';
import { SmsService } from '../../../../src/sms/sms.service.js';
import { isolateChainPerFile, testChain } from '../../../support/chain.js';
import { testConfig } from '../../../support/config.js';
import {
  digestOf,
  exchange,
  initializedTask,
  revealedTask,
  pollUntil,
} from '../../../support/services.js';

const chain = testChain();
const { roles } = chain;
isolateChainPerFile(chain);

let services: ServiceStandIns;
let config: AppConfig;
const http = new HttpService();
// what the clients use of the scheduler's chain context: its wallet
const context = {
  account: roles.scheduler,
  schedulerAddress: roles.scheduler.address.toLowerCase(),
} as unknown as ChainContext;
const noJobs = { register: () => undefined } as unknown as JobScheduler;

beforeAll(async () => {
  Logger.overrideLogger(['error']);
  services = await startServiceStandIns({ deployment: chain.deployment, freePorts: true });
  config = testConfig(services.env);
});
afterAll(() => services.stop());

async function settled(writer: AdapterChainWriter, taskId: string, command: ChainCommand) {
  const seen = await pollUntil(
    () => writer.status(taskId, command),
    (status) => status === 'SUCCESS' || status === 'FAILURE',
  );
  return seen.at(-1);
}

describe('the scheduler clients against the stand-ins', () => {
  it('boot: chain config from the Config Server, SMS URLs from the Platform Registry', async () => {
    expect(services.env).toMatchObject({
      IEXEC_CONFIG_SERVER_URL: services.urls.configServer,
      IEXEC_PLATFORM_REGISTRY: services.urls.configServer,
      IEXEC_CORE_CHAIN_ADAPTER_USERNAME: 'admin',
      IEXEC_CORE_CHAIN_ADAPTER_PASSWORD: 'whatever',
    });
    expect(config.blockchainAdapter.url).toBe(services.blockchainAdapter.url);
    expect(config.resultRepository.url).toBe(services.resultProxy.url);
    expect(await fetchChainConfig(config.configServer.url, 1)).toEqual({
      chainId: chain.chainId,
      hubAddress: getAddress(chain.deployment.hub),
      blockTimeMs: 1000,
      sidechain: false,
    });
    expect(await resolveSmsUrls(config, http)).toEqual({
      scone: services.smsScone.url,
      gramine: services.smsGramine.url,
      tdx: services.smsTdx.url,
    });
  });

  it('TEE task: initialize through the adapter, then the SMS framework check and challenge', async () => {
    const deal = await chain.fixtures.createDeal({ tag: 0x3 });
    const taskId = deal.taskIds[0];
    const writer = new AdapterChainWriter(config, http, noJobs, 1000);
    expect(await writer.requestInitialize(deal.dealId, Number(deal.botFirst), taskId)).toEqual({
      accepted: true,
    });
    expect(await settled(writer, taskId, 'initialize')).toBe('SUCCESS');
    expect((await chain.fixtures.viewTask(taskId)).status).toBe(ChainTaskStatus.ACTIVE);

    const sms = new SmsService(http, context, await resolveSmsUrls(config, http));
    const smsUrl = await sms.verifiedSmsUrl(taskId, `0x${'0'.repeat(63)}3`);
    expect(smsUrl).toBe(services.smsScone.url);
    const enclave = await sms.generateEnclaveChallenge(taskId, smsUrl!);
    expect(enclave).toBe(services.smsScone.enclaveAccount(taskId)?.address.toLowerCase());
    // Gramine tag: the Gramine SMS
    expect(await sms.verifiedSmsUrl(taskId, `0x${'0'.repeat(63)}5`)).toBe(services.smsGramine.url);
    // TDX tag (iexec-core 9.1): the TDX SMS, read from the registry's sms.tdx
    expect(await sms.verifiedSmsUrl(taskId, `0x${'0'.repeat(63)}9`)).toBe(services.smsTdx.url);
    // no TDX SMS configured: nothing verified, nothing asked
    const noTdx = new SmsService(http, context, {
      ...(await resolveSmsUrls(config, http)),
      tdx: '',
    });
    expect(await noTdx.verifiedSmsUrl(taskId, `0x${'0'.repeat(63)}9`)).toBeUndefined();
  });

  it('standard task: the worker uploads, the scheduler sees it uploaded and finalizes', async () => {
    const worker = workerAccount(6);
    const digest = digestOf('scheduler clients');
    const { taskId } = await revealedTask(chain, digest, worker);

    // the worker's side of PLEASE_UPLOAD: token with its own wallet, then POST /v1/results
    const auth = await signWorkerpoolAuthorization(roles.scheduler, {
      chainTaskId: taskId,
      workerWallet: worker.address,
      enclaveChallenge: ZERO_ADDRESS,
    });
    const hash = workerpoolAuthorizationHash(
      auth.workerWallet,
      auth.chainTaskId,
      auth.enclaveChallenge,
    );
    const token = await exchange('POST', `${services.urls.resultProxy}/v1/results/token`, {
      headers: { authorization: await signMessageHash(worker, hash) },
      json: auth,
    });
    const upload = await exchange('POST', `${services.urls.resultProxy}/v1/results`, {
      headers: { authorization: token.text },
      json: {
        chainTaskId: taskId,
        deterministHash: digest,
        zip: Buffer.from('zip').toString('base64'),
      },
    });
    expect(upload.status).toBe(200);

    const results = new ResultService(config, http, context);
    const facts = { isTeeTask: false, trust: 1, callback: null, resultStorageProvider: 'ipfs' };
    expect(await results.isResultUploaded(taskId, facts, undefined)).toBe(true);

    const writer = new AdapterChainWriter(config, http, noJobs, 1000);
    expect(await writer.requestFinalize(taskId, upload.text, undefined)).toEqual({
      accepted: true,
    });
    // The adapter's 400 to a repeat is not a refusal: the status read finds the command it holds.
    expect(await writer.requestFinalize(taskId, upload.text, undefined)).toEqual({
      accepted: true,
    });
    expect(await settled(writer, taskId, 'finalize')).toBe('SUCCESS');
    expect(services.blockchainAdapter.commands().filter((c) => c.kind === 'finalize')).toHaveLength(
      1,
    );
    const task = await chain.fixtures.viewTask(taskId);
    expect([task.status, hexToString(task.results)]).toEqual([
      ChainTaskStatus.COMPLETED,
      upload.text,
    ]);
  });

  it('adapter refusals reach the scheduler as refused, statuses of unknown commands as UNKNOWN', async () => {
    const { deal, taskId } = await initializedTask(chain);
    const writer = new AdapterChainWriter(config, http, noJobs, 1000);
    expect(await writer.requestInitialize(deal.dealId, 0, taskId)).toMatchObject({
      accepted: false,
    });
    expect(await writer.status(taskId, 'initialize')).toBe('UNKNOWN');
    expect(await writer.status(taskId as Hex, 'finalize')).toBe('UNKNOWN');
  });
});
