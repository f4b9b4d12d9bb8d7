import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { decryptKeystore, encryptKeystore, KeystoreError } from '../../src/chain/keystore.js';

const DEV_WALLET = readFileSync(
  join(import.meta.dirname, '..', 'fixtures', 'encrypted-wallet_scheduler.json'),
  'utf8',
);

function expectKeystoreError(
  action: () => unknown,
  kind: KeystoreError['kind'],
  message: RegExp,
): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeystoreError);
  expect((caught as KeystoreError).kind).toBe(kind);
  expect((caught as KeystoreError).message).toMatch(message);
}

describe('keystore', () => {
  it('decrypts the bundled dev wallet (scrypt n=131072) to its address', () => {
    const key = decryptKeystore(DEV_WALLET, 'whatever');
    expect(privateKeyToAddress(key).toLowerCase()).toBe(
      '0x000a9c787a972f70f0903890e266f41c795c4dca',
    );
  });

  it.each(['scrypt', 'pbkdf2'] as const)('round-trips a key with %s', (kdf) => {
    const key = generatePrivateKey();
    const keystore = encryptKeystore(key, 'p4ss', { kdf, scryptN: 1024, pbkdf2Iterations: 1000 });
    expect(keystore.version).toBe(3);
    expect(keystore.crypto.kdf).toBe(kdf);
    expect(keystore.address).toBe(privateKeyToAddress(key).slice(2).toLowerCase());
    expect(keystore.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(decryptKeystore(JSON.stringify(keystore), 'p4ss')).toBe(key);
    expect(decryptKeystore(keystore, 'p4ss')).toBe(key);
    expectKeystoreError(() => decryptKeystore(keystore, 'p4sS'), 'wrong-password', /MAC mismatch/);
  });

  it('accepts the legacy "Crypto" section name and 0x-prefixed hex', () => {
    const key = generatePrivateKey();
    const { crypto, ...rest } = encryptKeystore(key, 'pw', { scryptN: 1024 });
    const legacy = {
      ...rest,
      address: `0x${rest.address}`,
      Crypto: { ...crypto, ciphertext: `0x${crypto.ciphertext}` },
    };
    expect(decryptKeystore(legacy, 'pw')).toBe(key);
  });

  it('rejects unreadable or malformed JSON', () => {
    expectKeystoreError(() => decryptKeystore('{not json', 'pw'), 'malformed', /not valid JSON/);
    expectKeystoreError(
      () => decryptKeystore('[]', 'pw'),
      'malformed',
      /keystore is not an object/,
    );
    const keystore = JSON.parse(DEV_WALLET) as Record<string, Record<string, unknown>>;
    const withoutMac = { ...keystore, Crypto: { ...keystore.Crypto, mac: undefined } };
    expectKeystoreError(
      () => decryptKeystore(withoutMac, 'whatever'),
      'malformed',
      /missing crypto\.mac/,
    );
    const badIv = { ...keystore, Crypto: { ...keystore.Crypto, cipherparams: { iv: 'zz' } } };
    expectKeystoreError(
      () => decryptKeystore(badIv, 'whatever'),
      'malformed',
      /iv is not 16 bytes of hex/,
    );
    const badN = {
      ...keystore,
      Crypto: {
        ...keystore.Crypto,
        kdfparams: { ...(keystore.Crypto.kdfparams as object), n: 1000 },
      },
    };
    expectKeystoreError(() => decryptKeystore(badN, 'whatever'), 'malformed', /power of two/);
  });

  it('rejects unsupported kdf, prf, cipher and version with a clear message', () => {
    const keystore = encryptKeystore(generatePrivateKey(), 'pw', {
      kdf: 'pbkdf2',
      pbkdf2Iterations: 10,
    });
    const withCrypto = (patch: Record<string, unknown>) => ({
      ...keystore,
      crypto: { ...keystore.crypto, ...patch },
    });
    expectKeystoreError(
      () => decryptKeystore(withCrypto({ kdf: 'argon2id' }), 'pw'),
      'unsupported',
      /unsupported keystore kdf 'argon2id'/,
    );
    expectKeystoreError(
      () => decryptKeystore(withCrypto({ cipher: 'aes-128-cbc' }), 'pw'),
      'unsupported',
      /unsupported keystore cipher 'aes-128-cbc'/,
    );
    expectKeystoreError(
      () =>
        decryptKeystore(
          withCrypto({ kdfparams: { ...keystore.crypto.kdfparams, prf: 'hmac-sha512' } }),
          'pw',
        ),
      'unsupported',
      /unsupported pbkdf2 prf 'hmac-sha512'/,
    );
    expectKeystoreError(
      () => decryptKeystore({ ...keystore, version: 1 }, 'pw'),
      'unsupported',
      /version 1/,
    );
  });

  it('rejects a keystore whose address is not the one of its key', () => {
    const keystore = encryptKeystore(generatePrivateKey(), 'pw', { scryptN: 1024 });
    const other = privateKeyToAddress(generatePrivateKey()).slice(2);
    expectKeystoreError(
      () => decryptKeystore({ ...keystore, address: other }, 'pw'),
      'address-mismatch',
      /does not match/,
    );
  });
});
