import { keccak256, recoverMessageAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { ZERO_ADDRESS } from '../../src/chain/chain-models.js';
import {
  isWorkerpoolAuthorizationSignedBy,
  recoverWorkerpoolAuthorizationSigner,
  signMessageHash,
  signWorkerpoolAuthorization,
  smsChallengeAuthorizationSignature,
  workerpoolAuthorizationHash,
  type MessageSigner,
  type WorkerpoolAuthorization,
} from '../../src/chain/workerpool-authorization.js';

// chain.md §4.2 and worker-api.md §13.
const WORKER = '0x748e091bf16048cb5103E0E10F9D5a8b7fBDd860';
const TASK = '0xd94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8';
const ENCLAVE = '0x9a43BB008b7A657e1936ebf5d8e28e5c5E021596';
const KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';
const SCHEDULER = '0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf';
const HASH = '0x54a76d209e8167e1ffa3bde8e3e7b30068423ca9554e1d605d8ee8fd0f165562';
const HASH_ZERO_ENCLAVE = '0xfedc925bfedc252edf986ef08c5b289d5129edf632e0caf33f848c808f455f31';
const HASH_SMS = '0x673f587c2acc14f0ffcead2cf921994f70fc65a3acb81fbd27cb5bb0e5cff06a';
const R = '63f2c959ed7dfc11619e1e0b5ba8a4bf56f81ce81d0b6e6e9cdeca538cb85d97';
const S = '737747b747bc6c7d42cba859fdd030b1bed8b2513699ba78ac67dab5b785fda5';
const SIGNATURE = `0x${R}${S}1c`;
const SMS_SIGNATURE =
  '0xe3c1fb39bd446f0212fd8c9b1ab7321a01df76e09d24ebbead986256db3a9ced1ee56df4edf64784f9f577d37d4b8b101864b8c9772d433f65b0cb5a95890dfd1c';

const account = privateKeyToAccount(KEY);

describe('workerpoolAuthorizationHash', () => {
  it('matches the §13 vector with an enclave challenge', () => {
    expect(workerpoolAuthorizationHash(WORKER, TASK, ENCLAVE)).toBe(HASH);
  });

  it('matches the §13 vector with the zero-address enclave challenge', () => {
    expect(workerpoolAuthorizationHash(WORKER, TASK, ZERO_ADDRESS)).toBe(HASH_ZERO_ENCLAVE);
  });

  it('is keccak256(task bytes) with empty worker and enclave (SMS challenge, §13)', () => {
    expect(workerpoolAuthorizationHash('', TASK, '')).toBe(HASH_SMS);
    expect(keccak256(TASK)).toBe(HASH_SMS);
  });

  it('ignores letter case and is sensitive to order', () => {
    expect(
      workerpoolAuthorizationHash(
        WORKER.toLowerCase(),
        TASK.toUpperCase().replace('0X', '0x'),
        ENCLAVE.toLowerCase(),
      ),
    ).toBe(HASH);
    expect(workerpoolAuthorizationHash(ENCLAVE, TASK, WORKER)).not.toBe(HASH);
  });

  it('accepts values without 0x prefix', () => {
    expect(workerpoolAuthorizationHash(WORKER.slice(2), TASK.slice(2), ENCLAVE.slice(2))).toBe(
      HASH,
    );
  });
});

describe('signMessageHash (chain.md §4.1)', () => {
  it('is an EIP-191 signature of the 32 raw bytes, recoverable by viem', async () => {
    const value = await signMessageHash(account, HASH);
    expect(value).toBe(SIGNATURE);
    await expect(recoverMessageAddress({ message: { raw: HASH }, signature: value })).resolves.toBe(
      SCHEDULER,
    );
  });

  it('normalizes a signer returning v as the y parity (0/1), and lowercase', async () => {
    const yParitySigner: MessageSigner = {
      signMessage: async () => `0x${R.toUpperCase()}${S}01` as Hex,
    };
    await expect(signMessageHash(yParitySigner, HASH)).resolves.toBe(SIGNATURE);
  });

  it('refuses a signer output that is not a 65-byte signature', async () => {
    const short: MessageSigner = { signMessage: async () => `0x${R}${S}` as Hex };
    const badV: MessageSigner = { signMessage: async () => `0x${R}${S}05` as Hex };
    await expect(signMessageHash(short, HASH)).rejects.toThrow();
    await expect(signMessageHash(badV, HASH)).rejects.toThrow();
  });
});

describe('signWorkerpoolAuthorization (§5.6)', () => {
  it('reproduces the §13 signature byte for byte (RFC 6979)', async () => {
    const auth = await signWorkerpoolAuthorization(account, {
      chainTaskId: TASK,
      workerWallet: WORKER,
      enclaveChallenge: ENCLAVE,
    });
    expect(auth.signature.value).toBe(SIGNATURE);
    expect(auth.signature.value).toHaveLength(132);
    expect(auth.signature.value.slice(2, 66)).toBe(R);
    expect(auth.signature.value.slice(66, 130)).toBe(S);
    expect(parseInt(auth.signature.value.slice(130), 16)).toBe(28);
  });

  it('keeps the inputs verbatim and serializes exactly chainTaskId, workerWallet, enclaveChallenge, signature', async () => {
    const auth = await signWorkerpoolAuthorization(account, {
      enclaveChallenge: ENCLAVE,
      workerWallet: WORKER,
      chainTaskId: TASK,
    });
    expect(JSON.stringify(auth)).toBe(
      `{"chainTaskId":"${TASK}","workerWallet":"${WORKER}","enclaveChallenge":"${ENCLAVE}","signature":{"value":"${SIGNATURE}"}}`,
    );
  });

  it('signs the zero-address challenge of a standard task', async () => {
    const auth = await signWorkerpoolAuthorization(account, {
      chainTaskId: TASK,
      workerWallet: WORKER,
      enclaveChallenge: ZERO_ADDRESS,
    });
    expect(auth.signature.value).not.toBe(SIGNATURE);
    await expect(
      recoverMessageAddress({
        message: { raw: HASH_ZERO_ENCLAVE },
        signature: auth.signature.value,
      }),
    ).resolves.toBe(SCHEDULER);
  });
});

describe('smsChallengeAuthorizationSignature (§5.7, services.md §5.2)', () => {
  it('reproduces the §13 SMS challenge signature', async () => {
    await expect(smsChallengeAuthorizationSignature(account, TASK)).resolves.toBe(SMS_SIGNATURE);
  });
});

describe('recoverWorkerpoolAuthorizationSigner / isWorkerpoolAuthorizationSignedBy', () => {
  const auth: WorkerpoolAuthorization = {
    chainTaskId: TASK,
    workerWallet: WORKER,
    enclaveChallenge: ENCLAVE,
    signature: { value: SIGNATURE },
  };

  it('recovers the scheduler from the §13 authorization (lowercase)', () => {
    expect(recoverWorkerpoolAuthorizationSigner(auth)).toBe(SCHEDULER.toLowerCase());
    expect(isWorkerpoolAuthorizationSignedBy(auth, SCHEDULER)).toBe(true);
  });

  it('uses v: flipping it recovers someone else', () => {
    const flipped = { ...auth, signature: { value: `${SIGNATURE.slice(0, -2)}1b` as Hex } };
    expect(recoverWorkerpoolAuthorizationSigner(flipped)).not.toBe(SCHEDULER.toLowerCase());
    expect(isWorkerpoolAuthorizationSignedBy(flipped, SCHEDULER)).toBe(false);
  });

  it('detects a changed field (another worker, task or enclave)', () => {
    expect(isWorkerpoolAuthorizationSignedBy({ ...auth, workerWallet: SCHEDULER }, SCHEDULER)).toBe(
      false,
    );
    expect(
      isWorkerpoolAuthorizationSignedBy({ ...auth, enclaveChallenge: ZERO_ADDRESS }, SCHEDULER),
    ).toBe(false);
    expect(isWorkerpoolAuthorizationSignedBy({ ...auth, chainTaskId: HASH }, SCHEDULER)).toBe(
      false,
    );
  });

  it.each([
    ['no v', `0x${R}${S}`],
    ['v out of range', `0x${R}${S}1d`],
    ['not hex', `0x${'zz'.repeat(65)}`],
    ['empty', ''],
  ])('returns undefined for a malformed signature: %s', (_label, value) => {
    expect(
      recoverWorkerpoolAuthorizationSigner({ ...auth, signature: { value: value as Hex } }),
    ).toBeUndefined();
    expect(
      isWorkerpoolAuthorizationSignedBy({ ...auth, signature: { value: value as Hex } }, SCHEDULER),
    ).toBe(false);
  });

  it('never throws on untyped input', () => {
    const loose = recoverWorkerpoolAuthorizationSigner as (a: unknown) => unknown;
    expect(loose(undefined)).toBeUndefined();
    expect(loose({ signature: { value: SIGNATURE } })).toBeUndefined();
  });
});
