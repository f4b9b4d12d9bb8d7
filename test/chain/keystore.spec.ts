import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { decryptKeystore, encryptKeystore, KeystoreError } from '../../src/chain/keystore.js';

const devWallet = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'encrypted-wallet_scheduler.json'), 'utf8');

describe('keystore', () => {
  it('opens the public development wallet of the Java scheduler (scrypt n=131072)', () => {
    const key = decryptKeystore(devWallet, 'whatever');
    expect(privateKeyToAddress(key).toLowerCase()).toBe('0x000a9c787a972f70f0903890e266f41c795c4dca');
  });

  it('refuses a wrong password', () => {
    expect(() => decryptKeystore(devWallet, 'nope')).toThrow(new KeystoreError('wrong keystore password (MAC mismatch)'));
  });

  it.each(['scrypt', 'pbkdf2'] as const)('round-trips with %s', (kdf) => {
    const key = generatePrivateKey();
    const keystore = encryptKeystore(key, 'pw', { kdf, scryptN: 1024, pbkdf2Iterations: 1000 });
    expect((keystore as { address: string }).address).toBe(privateKeyToAddress(key).slice(2).toLowerCase());
    expect(decryptKeystore(JSON.stringify(keystore), 'pw')).toBe(key);
    expect(() => decryptKeystore(keystore, 'other')).toThrow(KeystoreError);
  });

  it('refuses malformed files with a clear message', () => {
    expect(() => decryptKeystore('{not json', 'x')).toThrow('the keystore is not valid JSON');
    expect(() => decryptKeystore('{"version":3}', 'x')).toThrow(/not a v3 JSON keystore/);
  });

  it('refuses unsupported kdf and cipher', () => {
    const keystore = encryptKeystore(generatePrivateKey(), 'pw', { scryptN: 1024 }) as { crypto: Record<string, unknown> };
    expect(() => decryptKeystore({ ...keystore, crypto: { ...keystore.crypto, kdf: 'argon2' } }, 'pw')).toThrow(/unsupported key derivation function "argon2"/);
    expect(() => decryptKeystore({ ...keystore, crypto: { ...keystore.crypto, cipher: 'aes-256-gcm' } }, 'pw')).toThrow(/unsupported cipher/);
  });
});
