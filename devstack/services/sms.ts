// SMS stand-in (services.md §5): the framework it serves (Scone, Gramine or TDX: one SMS per
// framework, as in production), the enclave challenge of TEE tasks (one fresh key per task, kept
// for the simulated workers, whatever the framework: iexec-sms generates it the same way for
// TDX), and a stand-in-only endpoint that gives a worker what a real TEE session would: the
// enclave's signature of its result.
import { encodePacked, keccak256, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { ChainClients } from '../chain/clients.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { resultHashOf, resultSealOf } from '../poco/signatures.js';
import { ChainTaskStatus } from '../../src/chain/chain-status.js';
import { teeFrameworkOfTag, type TeeFramework } from '../../src/chain/tee-tag.js';
import { workerpoolAuthorizationHash } from '../../src/chain/workerpool-authorization.js';
import {
  bytes32Param,
  chainView,
  hexField,
  isSignedByWorker,
  isSignedByWorkerpoolOwner,
  isTeeDeal,
  parseAuthorization,
  recoverPersonalSigner,
  sameAddress,
  type ChainView,
} from './chain-view.js';
import {
  empty,
  header,
  json,
  jsonBody,
  notFound,
  serveRoutes,
  text,
  unauthorized,
  type Reply,
  type Route,
  type ServeOptions,
  type StandInRequest,
} from './http.js';

export const SMS_SCONE_PORT = 13300;
export const SMS_GRAMINE_PORT = 13301;
export const SMS_TDX_PORT = 13302;

/** Stand-in only: the enclave signature a TEE session would produce (see docs/devstack.md). */
export const ENCLAVE_SIGNATURE_PATH = '/devstack/enclave-signatures';

export interface SmsOptions extends ServeOptions {
  deployment: PocoDeployment;
  /** What `GET /tee/framework` answers. */
  framework: TeeFramework;
  clients?: ChainClients;
}

/** Answer of ENCLAVE_SIGNATURE_PATH: the contribute() arguments of a TEE task. */
export interface EnclaveSignatureAnswer {
  chainTaskId: Hex;
  workerWallet: Hex;
  enclaveChallenge: Hex;
  resultDigest: Hex;
  resultHash: Hex;
  resultSeal: Hex;
  /** EIP-191 signature by the enclave key of keccak256(encodePacked(resultHash, resultSeal)). */
  enclaveSignature: Hex;
}

export interface SmsStandIn {
  url: string;
  port: number;
  framework: TeeFramework;
  /** The enclave key of a task (after its challenge was requested), to sign as the enclave. */
  enclaveAccount(chainTaskId: string): PrivateKeyAccount | undefined;
  /** Test hook: the next challenge requests answer 404 ("cannot be produced") while on. */
  failChallenges(on?: boolean): void;
  /** Number of challenge requests answered 200. */
  challengeCount(): number;
  /** Forgets every enclave key and resets the counter. */
  clear(): void;
  stop(): Promise<void>;
}

class Sms {
  readonly enclaves = new Map<string, PrivateKeyAccount>();
  refuseChallenges = false;
  served = 0;

  constructor(
    readonly chain: ChainView,
    readonly framework: TeeFramework,
  ) {}

  /** What both SMS requests need from the chain: the task is ACTIVE and its deal is TEE. */
  private async activeTeeTask(chainTaskId: Hex) {
    const task = await this.chain.task(chainTaskId);
    if (!task || task.status !== ChainTaskStatus.ACTIVE)
      throw unauthorized('task is not ACTIVE on chain');
    const deal = await this.chain.deal(task.dealid);
    if (!isTeeDeal(deal)) throw unauthorized(`deal tag ${deal.tag} is not TEE`);
    // iexec-sms 9 AuthorizationService: NO_MATCH_ONCHAIN_TYPE unless a known framework
    if (!teeFrameworkOfTag(deal.tag))
      throw unauthorized(`deal tag ${deal.tag} has no TEE framework`);
    return { task, deal };
  }

  /** POST /tee/challenges/{chainTaskId} (services.md §5.2). */
  async challenge(request: StandInRequest): Promise<Reply> {
    const chainTaskId = bytes32Param(request.params.chainTaskId, 'chainTaskId');
    const { deal } = await this.activeTeeTask(chainTaskId);
    // the scheduler signs the authorization hash with worker "" and enclave "": keccak256(taskId)
    const signer = recoverPersonalSigner(
      workerpoolAuthorizationHash('', chainTaskId, ''),
      header(request, 'authorization'),
    );
    if (!sameAddress(signer, deal.workerpool.owner)) {
      throw unauthorized('signature is not the workerpool owner');
    }
    if (this.refuseChallenges) throw notFound('challenge generation disabled by a test hook');
    let enclave = this.enclaves.get(chainTaskId);
    if (!enclave) {
      enclave = privateKeyToAccount(generatePrivateKey());
      this.enclaves.set(chainTaskId, enclave);
    }
    this.served++;
    return text(enclave.address.toLowerCase());
  }

  /**
   * POST ENCLAVE_SIGNATURE_PATH, header `Authorization: <worker signature of the authorization
   * hash>`, body `{ workerpoolAuthorization, resultDigest }`: the checks of a real TEE session
   * request, then the enclave's signature of the worker's result.
   */
  async enclaveSignature(request: StandInRequest): Promise<Reply> {
    const body = jsonBody(request) as Record<string, unknown> | null;
    const auth = parseAuthorization(body?.workerpoolAuthorization);
    const resultDigest = hexField(body?.resultDigest, 'resultDigest', 32);
    if (!isSignedByWorker(auth, header(request, 'authorization'))) {
      throw unauthorized('the Authorization header is not the workerWallet signature');
    }
    const chainTaskId = auth.chainTaskId.toLowerCase() as Hex;
    const { deal } = await this.activeTeeTask(chainTaskId);
    if (!isSignedByWorkerpoolOwner(auth, deal)) {
      throw unauthorized('authorization not signed by the workerpool owner');
    }
    const enclave = this.enclaves.get(chainTaskId);
    if (!enclave) throw notFound('no enclave challenge was generated for this task');
    if (!sameAddress(enclave.address, auth.enclaveChallenge)) {
      throw unauthorized(`the authorization names another enclave than ${enclave.address}`);
    }
    const workerWallet = auth.workerWallet.toLowerCase() as Hex;
    const resultHash = resultHashOf(chainTaskId, resultDigest);
    const resultSeal = resultSealOf(workerWallet, chainTaskId, resultDigest);
    const message = keccak256(encodePacked(['bytes32', 'bytes32'], [resultHash, resultSeal]));
    const answer: EnclaveSignatureAnswer = {
      chainTaskId,
      workerWallet,
      enclaveChallenge: enclave.address.toLowerCase() as Hex,
      resultDigest,
      resultHash,
      resultSeal,
      enclaveSignature: await enclave.signMessage({ message: { raw: message } }),
    };
    return json(answer);
  }

  /**
   * GET /tee/properties/{framework}[/{version}]: the pre/post-compute images a worker runs, 409
   * for another framework (iexec-sms TeeController). Stand-in images: no worker here runs them.
   */
  properties(request: StandInRequest): Reply {
    if (request.params.framework !== this.framework) return empty(409);
    const app = (stage: string) => ({
      image: `devstack/${this.framework.toLowerCase()}-${stage}-compute:stand-in`,
      fingerprint: '',
      entrypoint: '',
      heapSizeInBytes: 0,
    });
    return json({
      teeFramework: this.framework,
      teeFrameworkVersion: request.params.version ?? 'v1',
      preComputeProperties: app('pre'),
      postComputeProperties: app('post'),
    });
  }

  routes(): Route[] {
    return [
      { method: 'GET', path: '/tee/framework', handler: () => json(this.framework) },
      { method: 'GET', path: '/tee/properties/:framework', handler: (r) => this.properties(r) },
      {
        method: 'GET',
        path: '/tee/properties/:framework/:version',
        handler: (r) => this.properties(r),
      },
      { method: 'POST', path: '/tee/challenges/:chainTaskId', handler: (r) => this.challenge(r) },
      { method: 'POST', path: ENCLAVE_SIGNATURE_PATH, handler: (r) => this.enclaveSignature(r) },
    ];
  }
}

/** One SMS serving `options.framework` on `options.port` (0 = free port). */
export async function startSms(options: SmsOptions): Promise<SmsStandIn> {
  const sms = new Sms(chainView(options.deployment, options.clients), options.framework);
  const server = await serveRoutes(`sms-${options.framework.toLowerCase()}`, sms.routes(), options);
  return {
    url: server.url,
    port: server.port,
    framework: options.framework,
    enclaveAccount: (chainTaskId) => sms.enclaves.get(chainTaskId.toLowerCase()),
    failChallenges(on = true) {
      sms.refuseChallenges = on;
    },
    challengeCount: () => sms.served,
    clear() {
      sms.enclaves.clear();
      sms.served = 0;
    },
    stop: server.stop,
  };
}
