import { type Hex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import { loginDigest } from '../../src/worker/auth/login-signature.js';

/**
 * What the real worker does to log in (worker-api.md §2.1–2.2): sign
 * keccak256(lenientHex(challenge)) with its raw key, no message prefix, value `0x r s v`.
 */
export async function signLoginChallenge(challenge: string, privateKey: Hex): Promise<Hex> {
  return sign({ hash: loginDigest(challenge), privateKey, to: 'hex' });
}

/** Headers of every worker request (it always sends `Content-Type: application/json`). */
export function workerHeaders(token?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
}

/** A worker over HTTP: its wallet string is the lowercase address, as the real worker sends it. */
export class TestWorker {
  readonly wallet: string;

  constructor(
    readonly baseUrl: string,
    readonly privateKey: Hex,
    wallet?: string,
  ) {
    this.wallet = wallet ?? privateKeyToAccount(privateKey).address.toLowerCase();
  }

  challenge(): Promise<Response> {
    return fetch(
      `${this.baseUrl}/workers/challenge?walletAddress=${encodeURIComponent(this.wallet)}`,
      { headers: workerHeaders() },
    );
  }

  postLogin(signatureValue: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/workers/login?walletAddress=${encodeURIComponent(this.wallet)}`, {
      method: 'POST',
      headers: workerHeaders(),
      body: JSON.stringify({ value: signatureValue }),
    });
  }

  /** W1 + W2; throws unless both answer 200. */
  async login(): Promise<string> {
    const challenge = await this.challenge();
    if (challenge.status !== 200) throw new Error(`challenge: HTTP ${challenge.status}`);
    const res = await this.postLogin(
      await signLoginChallenge(await challenge.text(), this.privateKey),
    );
    if (res.status !== 200) throw new Error(`login: HTTP ${res.status}`);
    return res.text();
  }

  ping(token?: string): Promise<Response> {
    return fetch(`${this.baseUrl}/workers/ping`, { method: 'POST', headers: workerHeaders(token) });
  }

  register(
    token: string | undefined,
    body: unknown = defaultWorkerModel(this.wallet),
  ): Promise<Response> {
    return fetch(`${this.baseUrl}/workers/register`, {
      method: 'POST',
      headers: workerHeaders(token),
      body: JSON.stringify(body),
    });
  }

  computing(token?: string): Promise<Response> {
    return fetch(`${this.baseUrl}/workers/computing`, { headers: workerHeaders(token) });
  }
}

/** The W4 body the real worker sends (it adds nothing else). */
export function defaultWorkerModel(wallet: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'worker-1',
    walletAddress: wallet,
    os: 'Linux',
    cpu: 'amd64',
    cpuNb: 7,
    memorySize: 31,
    teeEnabled: false,
    gpuEnabled: false,
    ...overrides,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A JSON response body, for assertions (kept here so worker tests need not load AppModule). */
export function jsonOf(res: Response): Promise<Json> {
  return res.json();
}
