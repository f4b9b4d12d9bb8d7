import { Inject, Injectable, Optional } from '@nestjs/common';
import { ChainContext } from '../../chain/chain-context.js';
import { CLOCK, systemClock, type Clock } from '../../common/clock.js';
import { AppConfig } from '../../config/app-config.js';
import { ExpiringStore } from '../../common/expiring-store.js';
import { signWorkerJwt, verifyWorkerJwt } from './jwt.js';
import { isLoginSignatureValid, newChallenge } from './login-signature.js';

/** Injection token of an optional challenge generator (tests); defaults to {@link newChallenge}. */
export const LOGIN_CHALLENGE_FACTORY = Symbol('LOGIN_CHALLENGE_FACTORY');

/** Login challenges live 5 minutes from creation (worker-api.md §2.1). */
export const CHALLENGE_LIFETIME_MS = 5 * 60_000;
/** Worker JWTs expire one hour after issuance (§2.3). */
export const JWT_TTL_SECONDS = 3600;
/**
 * A token verified once is trusted this long by its exact text (its `exp` still checked each
 * time): a worker sends the same token with every call, and the HMAC and JSON decoding of each
 * were ~13 % of the scheduler's CPU at 2,000 workers.
 */
export const VERIFIED_TOKEN_LIFETIME_MS = 60_000;
const VERIFIED_TOKENS_MAX = 20_000;
/** A cached token is handed out again only while it has at least this much life left. */
export const JWT_REUSE_MIN_REMAINING_SECONDS = 60;

interface IssuedToken {
  token: string;
  expiresAtSeconds: number;
}

/**
 * Worker authentication (§2): whitelist, challenge store, signed login, JWT issuance and
 * verification. Every wallet string is used verbatim (case-sensitive keys, `sub` claim).
 *
 * Tokens are stateless: valid until `exp` for whichever process checks them, since the secret is
 * derived from the scheduler wallet (the reference keeps a per-process secret and a token cache,
 * so each restart logs every worker out). A login within the hour returns the token already
 * issued to that wallet by this process (as the reference does), unless it has less than a minute
 * left; after a restart a login simply mints a new one, and both verify.
 */
@Injectable()
export class WorkerAuthService {
  readonly audience: string;
  private readonly whitelist: ReadonlySet<string>;
  private readonly challenges: ExpiringStore<string>;
  private readonly tokens: ExpiringStore<IssuedToken>;
  private readonly verified: ExpiringStore<{ walletAddress: string; expiresAt: number }>;

  constructor(
    config: AppConfig,
    private readonly chain: ChainContext,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
    @Optional()
    @Inject(LOGIN_CHALLENGE_FACTORY)
    private readonly createChallenge: () => string = newChallenge,
  ) {
    this.audience = `iExec Scheduler v${config.compatibleJavaVersion}`;
    this.whitelist = new Set(config.workers.whitelist);
    this.challenges = new ExpiringStore(CHALLENGE_LIFETIME_MS, this.clock);
    this.tokens = new ExpiringStore(JWT_TTL_SECONDS * 1000, this.clock);
    this.verified = new ExpiringStore(VERIFIED_TOKEN_LIFETIME_MS, this.clock, VERIFIED_TOKENS_MAX);
  }

  /** Exact, case-sensitive membership; an empty whitelist admits everybody (§2.6). */
  isWhitelisted(walletAddress: string): boolean {
    return this.whitelist.size === 0 || this.whitelist.has(walletAddress);
  }

  /** W1: the current challenge of this exact wallet string, or undefined when not whitelisted. */
  getChallenge(walletAddress: string): string | undefined {
    if (!this.isWhitelisted(walletAddress)) return undefined;
    return this.challenges.getOrCreate(walletAddress, this.createChallenge);
  }

  /**
   * W2: the JWT when `signatureValue` signs the wallet's current challenge (created on the fly if
   * it expired, which then cannot match); undefined when not whitelisted or on any bad or
   * malformed signature, in which case the challenge stays valid for a retry.
   */
  login(walletAddress: string, signatureValue: unknown): string | undefined {
    if (!this.isWhitelisted(walletAddress)) return undefined;
    const challenge = this.challenges.getOrCreate(walletAddress, this.createChallenge);
    if (typeof signatureValue !== 'string') return undefined;
    if (!isLoginSignatureValid(challenge, signatureValue, walletAddress)) return undefined;
    this.challenges.deleteIf(walletAddress, challenge);
    return this.tokenFor(walletAddress);
  }

  /**
   * The wallet authenticated by an `Authorization` header value: exactly `Bearer <jwt>`, HS256
   * with this scheduler's secret, not expired, our audience, and a wallet still whitelisted
   * (tokens outlive restarts, so one issued before the wallet left the whitelist would).
   * Undefined otherwise.
   */
  authenticate(authorization: string | undefined): string | undefined {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined;
    const token = authorization.slice(7);
    const nowSeconds = Math.floor(this.clock() / 1000);
    let identity = this.verified.get(token);
    if (!identity) {
      const result = verifyWorkerJwt(token, this.chain.workerJwtSecret, {
        audience: this.audience,
        nowSeconds,
      });
      if (!result.ok) return undefined;
      identity = { walletAddress: result.walletAddress, expiresAt: result.expiresAt };
      this.verified.set(token, identity);
    }
    if (identity.expiresAt <= nowSeconds) return undefined;
    return this.isWhitelisted(identity.walletAddress) ? identity.walletAddress : undefined;
  }

  private tokenFor(walletAddress: string): string {
    const nowSeconds = Math.floor(this.clock() / 1000);
    const cached = this.tokens.get(walletAddress);
    if (cached && cached.expiresAtSeconds - nowSeconds >= JWT_REUSE_MIN_REMAINING_SECONDS) {
      return cached.token;
    }
    const token = signWorkerJwt(
      {
        walletAddress,
        audience: this.audience,
        issuedAtSeconds: nowSeconds,
        ttlSeconds: JWT_TTL_SECONDS,
      },
      this.chain.workerJwtSecret,
    );
    this.tokens.set(walletAddress, { token, expiresAtSeconds: nowSeconds + JWT_TTL_SECONDS });
    return token;
  }
}
