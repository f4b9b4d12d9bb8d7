// Result Proxy stand-in (services.md §6): tokens for holders of a WorkerpoolAuthorization, result
// uploads checked against the chain as the real proxy does, and the "is it uploaded?" HEAD the
// scheduler asks. Storage is in memory; links look like IPFS paths.
import { encodePacked, keccak256, type Address, type Hex } from 'viem';
import type { ChainClients } from '../chain/clients.js';
import type { PocoDeployment } from '../poco/deployment.js';
import { viewContribution } from '../poco/reads.js';
import { resultHashOf, resultSealOf } from '../poco/signatures.js';
import { ChainContributionStatus, ChainTaskStatus } from '../../src/chain/chain-status.js';
import { ZERO_ADDRESS } from '../../src/chain/chain-models.js';
import { type WorkerpoolAuthorization } from '../../src/chain/workerpool-authorization.js';
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
  badRequest,
  empty,
  header,
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
import { ipfsLikeHash, jwtSigner } from './tokens.js';

export const RESULT_PROXY_PORT = 13200;

export interface ResultProxyOptions extends ServeOptions {
  deployment: PocoDeployment;
  clients?: ChainClients;
  /** Token lifetime (default 3600 s). */
  tokenTtlSeconds?: number;
}

export interface UploadedResult {
  chainTaskId: Hex;
  /** What the proxy answered, and what the worker reports as `resultLink`: `/ipfs/Qm…`. */
  link: string;
  bytes: Buffer;
  /** Wallet of the token used for the upload (lowercase). */
  uploader: string;
  deterministHash: Hex | undefined;
}

export interface ResultProxyStandIn {
  url: string;
  port: number;
  uploaded(chainTaskId: string): UploadedResult | undefined;
  /** Tokens issued so far (both the scheduler's checks and the workers' uploads). */
  tokenCount(): number;
  /** Test hook: stores a result as if it had been uploaded (no chain check). */
  store(chainTaskId: string, bytes?: Uint8Array, uploader?: string): UploadedResult;
  /** Forgets every result and authorization, and resets the token counter. */
  clear(): void;
  /** Test hook: while down, every connection is dropped (a proxy that is unreachable). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

/** The result upload body (iexec-common ResultModel): `zip` is base64 as Jackson writes byte[]. */
interface ResultModel {
  chainTaskId: Hex;
  deterministHash: Hex | undefined;
  enclaveSignature: Hex | undefined;
  zip: Buffer;
}

const EMPTY_SIGNATURE = `0x${'0'.repeat(130)}`;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

function parseResultModel(body: unknown): ResultModel {
  const model = body as Record<string, unknown> | null;
  if (typeof model !== 'object' || model === null) throw badRequest('body is not a ResultModel');
  const chainTaskId = bytes32Param(model.chainTaskId as string, 'chainTaskId');
  const deterministHash =
    model.deterministHash == null
      ? undefined
      : hexField(model.deterministHash, 'deterministHash', 32);
  const enclaveSignature =
    model.enclaveSignature == null || model.enclaveSignature === EMPTY_SIGNATURE
      ? undefined
      : hexField(model.enclaveSignature, 'enclaveSignature', 65);
  if (model.zip != null && (typeof model.zip !== 'string' || !BASE64.test(model.zip))) {
    throw badRequest('zip must be base64');
  }
  const zip = Buffer.from(typeof model.zip === 'string' ? model.zip : '', 'base64');
  return { chainTaskId, deterministHash, enclaveSignature, zip };
}

class ResultProxy {
  readonly results = new Map<string, UploadedResult>();
  readonly byHash = new Map<string, string>();
  /** The authorization each (task, wallet) obtained its token with: TEE uploads need it. */
  readonly authorizations = new Map<string, WorkerpoolAuthorization>();
  readonly jwt;
  tokens = 0;

  constructor(
    readonly chain: ChainView,
    ttlSeconds: number,
  ) {
    this.jwt = jwtSigner(ttlSeconds);
  }

  /** Claims of the `Authorization` token, or 401. */
  private bearer(request: StandInRequest): { wallet: string; chainTaskId: string } {
    const claims = this.jwt.verify(header(request, 'authorization'));
    if (!claims || typeof claims.sub !== 'string' || typeof claims.chainTaskId !== 'string') {
      throw unauthorized('missing, expired or foreign token');
    }
    return { wallet: claims.sub, chainTaskId: claims.chainTaskId };
  }

  /** POST /v1/results/token (services.md §6.3). */
  async token(request: StandInRequest): Promise<Reply> {
    const auth = parseAuthorization(jsonBody(request));
    if (!isSignedByWorker(auth, header(request, 'authorization'))) {
      throw unauthorized('the Authorization header is not the workerWallet signature');
    }
    const chainTaskId = auth.chainTaskId.toLowerCase() as Hex;
    const task = await this.chain.task(chainTaskId);
    if (!task) throw unauthorized('task not initialized on chain');
    if (task.finalDeadline <= (await this.chain.now())) throw unauthorized('final deadline passed');
    const deal = await this.chain.deal(task.dealid);
    const teeAuthorization = auth.enclaveChallenge.toLowerCase() !== ZERO_ADDRESS;
    if (teeAuthorization !== isTeeDeal(deal)) {
      throw unauthorized(
        `enclave challenge ${auth.enclaveChallenge} does not fit the deal tag ${deal.tag}`,
      );
    }
    if (!isSignedByWorkerpoolOwner(auth, deal)) {
      throw unauthorized('authorization not signed by the workerpool owner');
    }
    const wallet = auth.workerWallet.toLowerCase();
    this.authorizations.set(`${chainTaskId}-${wallet}`, auth);
    this.tokens++;
    return text(this.jwt.sign({ sub: wallet, chainTaskId }));
  }

  /** HEAD /v1/results/{chainTaskId}: 204 uploaded, 404 not, 401 bad token. */
  isUploaded(request: StandInRequest): Reply {
    const { chainTaskId } = this.bearer(request);
    const asked = bytes32Param(request.params.chainTaskId, 'chainTaskId');
    if (asked !== chainTaskId) throw unauthorized('the token was issued for another task');
    return empty(this.results.has(asked) ? 204 : 404);
  }

  /** POST /v1/results: the checks of the real proxy's canUploadResult, then storage. */
  async upload(request: StandInRequest): Promise<Reply> {
    const { wallet, chainTaskId } = this.bearer(request);
    const model = parseResultModel(jsonBody(request));
    if (model.chainTaskId !== chainTaskId)
      throw unauthorized('the token was issued for another task');
    if (this.results.has(chainTaskId)) throw unauthorized('result already uploaded');
    const task = await this.chain.task(chainTaskId);
    if (!task) throw unauthorized('task not initialized on chain');
    const deal = await this.chain.deal(task.dealid);
    if (!isTeeDeal(deal)) {
      await this.checkStandardUploader(chainTaskId, wallet as Address, model);
    } else if (sameAddress(deal.requester, wallet)) {
      if (task.status !== ChainTaskStatus.ACTIVE) throw unauthorized('TEE task is not ACTIVE');
    } else {
      this.checkEnclaveSignature(chainTaskId, wallet as Address, model);
    }
    return text(this.save(chainTaskId, model.zip, wallet, model.deterministHash).link);
  }

  /** Standard task: the uploader revealed, and revealed this result. */
  private async checkStandardUploader(chainTaskId: Hex, wallet: Address, model: ResultModel) {
    const contribution = await viewContribution(this.chain.ctx, chainTaskId, wallet);
    if (contribution.status !== ChainContributionStatus.REVEALED) {
      throw unauthorized(`contribution of ${wallet} is not REVEALED`);
    }
    // the real proxy recomputes the digest from the zip; here the worker states it
    if (!model.deterministHash) throw badRequest('deterministHash is required');
    if (resultHashOf(chainTaskId, model.deterministHash) !== contribution.resultHash) {
      throw unauthorized('deterministHash does not match the revealed contribution');
    }
  }

  /** TEE task: the enclave of the uploader's authorization signed this result. */
  private checkEnclaveSignature(chainTaskId: Hex, wallet: Address, model: ResultModel) {
    const auth = this.authorizations.get(`${chainTaskId}-${wallet}`);
    if (!auth) throw unauthorized('no workerpool authorization for this worker and task');
    if (!model.enclaveSignature || !model.deterministHash) {
      throw unauthorized('TEE result without enclave signature or deterministHash');
    }
    const resultHash = resultHashOf(chainTaskId, model.deterministHash);
    const resultSeal = resultSealOf(wallet, chainTaskId, model.deterministHash);
    const message = keccak256(encodePacked(['bytes32', 'bytes32'], [resultHash, resultSeal]));
    const enclave = recoverPersonalSigner(message, model.enclaveSignature);
    if (!sameAddress(enclave, auth.enclaveChallenge))
      throw unauthorized('invalid enclave signature');
  }

  save(chainTaskId: Hex, bytes: Buffer, uploader: string, deterministHash?: Hex): UploadedResult {
    const hash = ipfsLikeHash(bytes);
    const result = { chainTaskId, link: `/ipfs/${hash}`, bytes, uploader, deterministHash };
    this.results.set(chainTaskId, result);
    this.byHash.set(hash, chainTaskId);
    return result;
  }

  download(chainTaskId: string | undefined): Reply {
    const result = chainTaskId ? this.results.get(chainTaskId) : undefined;
    if (!result) throw notFound('no such result');
    return {
      status: 200,
      body: result.bytes,
      contentType: 'application/zip',
      headers: {
        'content-disposition': `attachment; filename=iexec-result-${result.chainTaskId}.zip`,
      },
    };
  }

  routes(): Route[] {
    const token: Route['handler'] = (r) => this.token(r);
    const upload: Route['handler'] = (r) => this.upload(r);
    const head: Route['handler'] = (r) => this.isUploaded(r);
    return [
      { method: 'POST', path: '/v1/results/token', handler: token },
      { method: 'POST', path: '/v1/results', handler: upload },
      { method: 'HEAD', path: '/v1/results/:chainTaskId', handler: head },
      {
        method: 'GET',
        path: '/v1/results/:chainTaskId',
        handler: (r) => this.download(bytes32Param(r.params.chainTaskId, 'chainTaskId')),
      },
      {
        method: 'GET',
        path: '/v1/results/:chainTaskId/ipfshash',
        handler: (r) => {
          const link = this.results.get(bytes32Param(r.params.chainTaskId, 'chainTaskId'))?.link;
          if (!link) throw notFound('no such result');
          return text(link.slice('/ipfs/'.length));
        },
      },
      // the result link resolved against the proxy, as an IPFS gateway would
      {
        method: 'GET',
        path: '/ipfs/:hash',
        handler: (r) => this.download(this.byHash.get(r.params.hash)),
      },
      // deprecated aliases of the real proxy (removed in its v10)
      { method: 'POST', path: '/', handler: upload },
      { method: 'HEAD', path: '/results/:chainTaskId', handler: head },
    ];
  }
}

/** Result Proxy on `options.port` (0 = free port). */
export async function startResultProxy(options: ResultProxyOptions): Promise<ResultProxyStandIn> {
  const proxy = new ResultProxy(
    chainView(options.deployment, options.clients),
    options.tokenTtlSeconds ?? 3600,
  );
  const server = await serveRoutes('result-proxy', proxy.routes(), options);
  return {
    url: server.url,
    port: server.port,
    uploaded: (chainTaskId) => proxy.results.get(chainTaskId.toLowerCase()),
    tokenCount: () => proxy.tokens,
    store: (chainTaskId, bytes = new Uint8Array(), uploader = '') =>
      proxy.save(chainTaskId.toLowerCase() as Hex, Buffer.from(bytes), uploader.toLowerCase()),
    clear() {
      proxy.results.clear();
      proxy.byHash.clear();
      proxy.authorizations.clear();
      proxy.tokens = 0;
    },
    setDown: (down) => server.setDown(down),
    stop: server.stop,
  };
}
