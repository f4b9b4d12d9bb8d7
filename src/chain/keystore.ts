import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { keccak256, toHex, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

/** Anything wrong with a keystore or its password, said plainly. */
export class KeystoreError extends Error {
  override name = 'KeystoreError';
}

interface KeystoreV3 {
  address?: string;
  version?: number;
  crypto?: KeystoreCrypto;
  Crypto?: KeystoreCrypto;
}

interface KeystoreCrypto {
  cipher: string;
  cipherparams: { iv: string };
  ciphertext: string;
  kdf: string;
  kdfparams: Record<string, number | string>;
  mac: string;
}

const unhex = (s: string) => Buffer.from(s.replace(/^0x/, ''), 'hex');

function deriveKey(c: KeystoreCrypto, password: string): Buffer {
  const p = c.kdfparams;
  const salt = unhex(String(p.salt));
  const dklen = Number(p.dklen ?? 32);
  if (c.kdf === 'scrypt') {
    const N = Number(p.n);
    const r = Number(p.r);
    return scryptSync(password, salt, dklen, { N, r, p: Number(p.p), maxmem: 256 * N * r + 64 * 1024 * 1024 });
  }
  if (c.kdf === 'pbkdf2') {
    if (p.prf !== undefined && p.prf !== 'hmac-sha256') throw new KeystoreError(`unsupported pbkdf2 prf ${p.prf}`);
    return pbkdf2Sync(password, salt, Number(p.c), dklen, 'sha256');
  }
  throw new KeystoreError(`unsupported key derivation function "${c.kdf}" (scrypt or pbkdf2 expected)`);
}

function macOf(derivedKey: Buffer, ciphertext: Buffer): Buffer {
  return unhex(keccak256(Buffer.concat([derivedKey.subarray(16, 32), ciphertext])));
}

/** Decrypts a Web3 Secret Storage v3 keystore (scrypt or pbkdf2, aes-128-ctr) into its private key. */
export function decryptKeystore(keystore: string | object, password: string): Hex {
  let json: KeystoreV3;
  try {
    json = (typeof keystore === 'string' ? JSON.parse(keystore) : keystore) as KeystoreV3;
  } catch {
    throw new KeystoreError('the keystore is not valid JSON');
  }
  const c = json?.crypto ?? json?.Crypto;
  if (!c || typeof c !== 'object' || !c.ciphertext || !c.kdfparams || !c.mac || !c.cipherparams?.iv) {
    throw new KeystoreError('the keystore is not a v3 JSON keystore (crypto section missing or incomplete)');
  }
  if (c.cipher !== 'aes-128-ctr') throw new KeystoreError(`unsupported cipher "${c.cipher}" (aes-128-ctr expected)`);
  const derivedKey = deriveKey(c, password);
  const ciphertext = unhex(c.ciphertext);
  const expected = unhex(c.mac);
  const actual = macOf(derivedKey, ciphertext);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new KeystoreError('wrong keystore password (MAC mismatch)');
  }
  const decipher = createDecipheriv('aes-128-ctr', derivedKey.subarray(0, 16), unhex(c.cipherparams.iv));
  const privateKey = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return toHex(privateKey);
}

export interface EncryptOptions {
  kdf?: 'scrypt' | 'pbkdf2';
  /** scrypt cost (power of two); small values make dev keystores fast to open. */
  scryptN?: number;
  pbkdf2Iterations?: number;
}

/** Encrypts a private key into a v3 keystore (what the dev stack writes for the scheduler). */
export function encryptKeystore(privateKey: Hex, password: string, options: EncryptOptions = {}): object {
  const kdf = options.kdf ?? 'scrypt';
  const salt = randomBytes(32);
  const kdfparams: Record<string, number | string> =
    kdf === 'scrypt'
      ? { dklen: 32, n: options.scryptN ?? 131072, r: 8, p: 1, salt: salt.toString('hex') }
      : { dklen: 32, c: options.pbkdf2Iterations ?? 262144, prf: 'hmac-sha256', salt: salt.toString('hex') };
  const crypto: KeystoreCrypto = { cipher: 'aes-128-ctr', cipherparams: { iv: randomBytes(16).toString('hex') }, ciphertext: '', kdf, kdfparams, mac: '' };
  const derivedKey = deriveKey(crypto, password);
  const cipher = createCipheriv('aes-128-ctr', derivedKey.subarray(0, 16), unhex(crypto.cipherparams.iv));
  const ciphertext = Buffer.concat([cipher.update(unhex(privateKey)), cipher.final()]);
  crypto.ciphertext = ciphertext.toString('hex');
  crypto.mac = macOf(derivedKey, ciphertext).toString('hex');
  return {
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    id: randomUUID(),
    version: 3,
    crypto,
  };
}
