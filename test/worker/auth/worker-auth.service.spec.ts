import { generatePrivateKey, privateKeyToAccount, sign } from 'viem/accounts';
import type { ChainContext } from '../../../src/chain/chain-context.js';
import { deriveJwtSecret, signWorkerJwt } from '../../../src/worker/auth/jwt.js';
import { loginDigest } from '../../../src/worker/auth/login-signature.js';
import { WorkerAuthService } from '../../../src/worker/auth/worker-auth.service.js';
import { testConfig } from '../../support/config.js';

const SCHEDULER_KEY = generatePrivateKey();
const chain = { workerJwtSecret: deriveJwtSecret(SCHEDULER_KEY) } as ChainContext;
const workerKey = generatePrivateKey();
const wallet = privateKeyToAccount(workerKey).address.toLowerCase();
const signChallenge = (challenge: string, key = workerKey) =>
  sign({ hash: loginDigest(challenge), privateKey: key, to: 'hex' });

describe('WorkerAuthService', () => {
  let now: number;
  let counter: number;
  const service = (whitelist = '') =>
    new WorkerAuthService(
      testConfig({ IEXEC_WORKERS_WHITELIST: whitelist }),
      chain,
      () => now,
      () => `challenge-${++counter}`,
    );
  beforeEach(() => {
    now = 1_700_000_000_000;
    counter = 0;
  });

  describe('whitelist', () => {
    it('admits everybody when empty', () => {
      expect(service().isWhitelisted('anything')).toBe(true);
    });

    it('admits exact, case-sensitive members only, and creates no challenge for others', () => {
      const auth = service(`${wallet},0x${'1'.repeat(40)}`);
      expect(auth.isWhitelisted(wallet)).toBe(true);
      expect(auth.isWhitelisted(wallet.toUpperCase().replace('0X', '0x'))).toBe(false);
      expect(auth.getChallenge(`0x${'2'.repeat(40)}`)).toBeUndefined();
      expect(counter).toBe(0);
    });
  });

  describe('challenges', () => {
    it('keeps one challenge per wallet string for 5 minutes from creation', () => {
      const auth = service();
      expect(auth.getChallenge(wallet)).toBe('challenge-1');
      expect(auth.getChallenge(wallet.toUpperCase())).toBe('challenge-2');
      now += 5 * 60_000 - 1;
      expect(auth.getChallenge(wallet)).toBe('challenge-1');
      now += 1;
      expect(auth.getChallenge(wallet)).toBe('challenge-3');
    });

    it('uses the real generator by default: 32 random bytes in Base64', () => {
      const auth = new WorkerAuthService(testConfig(), chain);
      expect(auth.getChallenge(wallet)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    });
  });

  describe('login', () => {
    it('consumes the challenge on success only', async () => {
      const auth = service();
      const challenge = auth.getChallenge(wallet)!;
      expect(
        auth.login(wallet, await signChallenge(challenge, generatePrivateKey())),
      ).toBeUndefined();
      expect(auth.getChallenge(wallet)).toBe(challenge);
      const signature = await signChallenge(challenge);
      const token = auth.login(wallet, signature);
      expect(token).toEqual(expect.any(String));
      expect(auth.authenticate(`Bearer ${token}`)).toBe(wallet);
      expect(auth.getChallenge(wallet)).not.toBe(challenge);
      expect(auth.login(wallet, signature)).toBeUndefined();
    });

    it('fails when the challenge expired in between (a fresh one is created)', async () => {
      const auth = service();
      const signature = await signChallenge(auth.getChallenge(wallet)!);
      now += 5 * 60_000;
      expect(auth.login(wallet, signature)).toBeUndefined();
      expect(counter).toBe(2);
    });

    it('refuses a non-whitelisted wallet even with a good signature', async () => {
      const auth = service(`0x${'1'.repeat(40)}`);
      expect(auth.login(wallet, await signChallenge('challenge-1'))).toBeUndefined();
    });

    it('returns the issued token again within the hour, a new one in its last minute', async () => {
      const auth = service();
      const login = async () => auth.login(wallet, await signChallenge(auth.getChallenge(wallet)!));
      const first = await login();
      now += 10_000;
      expect(await login()).toBe(first);
      now += 3600_000 - 10_000 - 60_000 + 1000; // 59 s left
      const renewed = await login();
      expect(renewed).not.toBe(first);
      expect(auth.authenticate(`Bearer ${first}`)).toBe(wallet);
      expect(auth.authenticate(`Bearer ${renewed}`)).toBe(wallet);
    });
  });

  describe('authenticate', () => {
    const token = (
      issuedAtSeconds: number,
      audience = 'iExec Scheduler v8.5.0',
      secret = chain.workerJwtSecret,
    ) =>
      signWorkerJwt(
        { walletAddress: 'Wallet-As-Sent', audience, issuedAtSeconds, ttlSeconds: 3600 },
        secret,
      );

    it('returns the subject verbatim for exactly "Bearer <jwt>"', () => {
      const auth = service();
      expect(auth.authenticate(`Bearer ${token(now / 1000)}`)).toBe('Wallet-As-Sent');
      expect(auth.authenticate(`bearer ${token(now / 1000)}`)).toBeUndefined();
      expect(auth.authenticate(`Not Bearer ${token(now / 1000)}`)).toBeUndefined();
      expect(auth.authenticate(undefined)).toBeUndefined();
      expect(auth.authenticate('Bearer ')).toBeUndefined();
    });

    it('refuses expired tokens (exp ≤ now), other audiences and other secrets', () => {
      const auth = service();
      const nowSeconds = now / 1000;
      expect(auth.authenticate(`Bearer ${token(nowSeconds - 3599)}`)).toBe('Wallet-As-Sent');
      expect(auth.authenticate(`Bearer ${token(nowSeconds - 3600)}`)).toBeUndefined();
      expect(
        auth.authenticate(`Bearer ${token(nowSeconds, 'iExec Scheduler v8.4.1')}`),
      ).toBeUndefined();
      expect(
        auth.authenticate(
          `Bearer ${token(nowSeconds, undefined, deriveJwtSecret(generatePrivateKey()))}`,
        ),
      ).toBeUndefined();
    });

    it('refuses the token of a wallet no longer whitelisted (tokens outlive restarts)', () => {
      const issued = signWorkerJwt(
        {
          walletAddress: wallet,
          audience: 'iExec Scheduler v8.5.0',
          issuedAtSeconds: now / 1000,
          ttlSeconds: 3600,
        },
        chain.workerJwtSecret,
      );
      const header = `Bearer ${issued}`;
      expect(service().authenticate(header)).toBe(wallet);
      expect(service(wallet).authenticate(header)).toBe(wallet);
      // A restart with the wallet removed: the stateless token still verifies, but is refused.
      expect(service(`0x${'1'.repeat(40)}`).authenticate(header)).toBeUndefined();
    });

    it('a token verified once still expires at its exp, and a tampered copy is still refused', () => {
      const auth = service();
      const issued = token(now / 1000 - 3590); // exp 10 s from now
      expect(auth.authenticate(`Bearer ${issued}`)).toBe('Wallet-As-Sent');
      now += 9_000;
      expect(auth.authenticate(`Bearer ${issued}`)).toBe('Wallet-As-Sent');
      const [header, payload, signature] = issued.split('.');
      const forged = `${header}.${payload}.${signature.slice(0, -2)}AA`;
      expect(auth.authenticate(`Bearer ${forged}`)).toBeUndefined();
      now += 1_000;
      expect(auth.authenticate(`Bearer ${issued}`)).toBeUndefined();
    });
  });
});
