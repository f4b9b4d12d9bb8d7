// Result upload of the simulated worker: the Result Proxy protocol of the 8.5 worker (a token
// obtained with the replicate's WorkerpoolAuthorization, then the upload), or an in-memory store.
import { keccak256, toHex, type Hex, type LocalAccount } from 'viem';
import {
  signMessageHash,
  workerpoolAuthorizationHash,
} from '../../src/chain/workerpool-authorization.js';
import type { WorkerpoolAuthorization } from '../../src/notification/task-notification.js';
import { baseUrl, HttpClient } from './http.js';
import { resultLink } from './result.js';

export interface UploadContext {
  /** The worker's key: signs the token request. */
  account: Pick<LocalAccount, 'signMessage'>;
  wallet: string;
  /** `resultRepositoryURL` from `/workers/config`. */
  resultRepositoryUrl: string | null;
  /** The result digest (the ResultModel's `deterministHash`). */
  resultDigest: Hex;
  /** TEE tasks: the enclave's signature of (resultHash, resultSeal), as the post-compute sends it. */
  enclaveSignature?: Hex;
  signal?: AbortSignal;
}

export interface ResultUploader {
  /** Stores the result archive of `chainTaskId`; resolves with the result link to report. */
  upload(
    chainTaskId: string,
    authorization: WorkerpoolAuthorization,
    bytes: Uint8Array,
    context: UploadContext,
  ): Promise<string>;
}

export interface StoredResult {
  chainTaskId: string;
  wallet: string;
  authorization: WorkerpoolAuthorization;
  bytes: Uint8Array;
  link: string;
}

/** For tests and chain-less runs: keeps the archives, answers an IPFS-looking link. */
export class InMemoryResultUploader implements ResultUploader {
  readonly results = new Map<string, StoredResult>();

  /** `fail(chainTaskId)` true → the upload throws (RESULT_UPLOAD_FAILED path). */
  constructor(private readonly options: { fail?: (chainTaskId: string) => boolean } = {}) {}

  async upload(
    chainTaskId: string,
    authorization: WorkerpoolAuthorization,
    bytes: Uint8Array,
    context: UploadContext,
  ): Promise<string> {
    if (this.options.fail?.(chainTaskId)) throw new Error(`upload of ${chainTaskId} refused`);
    const link = resultLink('ipfs', `/ipfs/${inMemoryCid(bytes)}`);
    this.results.set(chainTaskId, {
      chainTaskId,
      wallet: context.wallet,
      authorization,
      bytes,
      link,
    });
    return link;
  }

  isUploaded(chainTaskId: string): boolean {
    return this.results.has(chainTaskId);
  }
}

function inMemoryCid(bytes: Uint8Array): string {
  return `Qm${keccak256(toHex(bytes)).slice(2, 46)}`;
}

/**
 * services.md §6 as the 8.5 worker drives it:
 * 1. `POST /v1/results/token`, header `Authorization:` the worker's own EIP-191 signature of the
 *    authorization hash, body the WorkerpoolAuthorization received from the scheduler → JWT;
 * 2. `POST /v1/results`, header `Authorization: <jwt>`, body a ResultModel (zip as Base64);
 * 3. `GET /v1/results/{chainTaskId}/ipfshash` → the link `{ "storage": "ipfs", "location":
 *    "/ipfs/<hash>" }`; when that read fails, the upload answer is taken as the location.
 */
export class HttpResultUploader implements ResultUploader {
  constructor(
    private readonly http: HttpClient = new HttpClient(),
    /** Overrides `resultRepositoryURL` of the scheduler's configuration. */
    private readonly url?: string,
  ) {}

  async upload(
    chainTaskId: string,
    authorization: WorkerpoolAuthorization,
    bytes: Uint8Array,
    context: UploadContext,
  ): Promise<string> {
    const base = this.url ?? context.resultRepositoryUrl;
    if (!base) throw new Error('no result repository URL');
    const root = baseUrl(base);
    const { signal } = context;
    const hash = workerpoolAuthorizationHash(
      authorization.workerWallet,
      authorization.chainTaskId,
      authorization.enclaveChallenge,
    );
    const tokenAuth = await signMessageHash(context.account, hash);
    const token = await this.http.request('POST', `${root}/v1/results/token`, {
      endpoint: 'ResultProxy token',
      headers: { Authorization: tokenAuth },
      body: authorization,
      signal,
    });
    if (token.status !== 200 || !token.body) {
      throw new Error(`result proxy token: HTTP ${token.status}`);
    }
    const uploaded = await this.http.request('POST', `${root}/v1/results`, {
      endpoint: 'ResultProxy upload',
      headers: { Authorization: token.body },
      body: {
        chainTaskId,
        image: null,
        cmd: null,
        zip: Buffer.from(bytes).toString('base64'),
        deterministHash: context.resultDigest,
        enclaveSignature: context.enclaveSignature ?? null,
      },
      signal,
    });
    if (uploaded.status < 200 || uploaded.status >= 300) {
      throw new Error(`result proxy upload: HTTP ${uploaded.status}`);
    }
    const ipfs = await this.http
      .request('GET', `${root}/v1/results/${chainTaskId}/ipfshash`, {
        endpoint: 'ResultProxy ipfshash',
        signal,
      })
      .catch(() => undefined);
    if (ipfs && ipfs.status === 200 && ipfs.body) return resultLink('ipfs', `/ipfs/${ipfs.body}`);
    if (uploaded.body) {
      const location = uploaded.body.startsWith('/') ? uploaded.body : `/ipfs/${uploaded.body}`;
      return resultLink('ipfs', location);
    }
    throw new Error('result proxy: no result location');
  }
}
