// Web3 Secret Storage v3 keystores (the scheduler wallet file): scrypt or pbkdf2 (hmac-sha256)
// key derivation, aes-128-ctr, MAC = keccak256(derivedKey[16..32] ‖ ciphertext).
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';

export type KeystoreErrorKind = 'malformed' | 'unsupported' | 'wrong-password' | 'address-mismatch';

export class KeystoreError extends Error {
  constructor(
    readonly kind: KeystoreErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'KeystoreError';
  }
}

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
  dklen: number;
  salt: string;
}

export interface Pbkdf2Params {
  c: number;
  dklen: number;
  prf: 'hmac-sha256';
  salt: string;
}

export interface KeystoreV3 {
  /** Lowercase, without 0x. */
  address: string;
  id: string;
  version: 3;
  crypto: {
    cipher: 'aes-128-ctr';
    cipherparams: { iv: string };
    ciphertext: string;
    kdf: 'scrypt' | 'pbkdf2';
    kdfparams: ScryptParams | Pbkdf2Params;
    mac: string;
  };
}

export interface EncryptKeystoreOptions {
  kdf?: 'scrypt' | 'pbkdf2';
  /** scrypt cost (power of two). Default 131072, like the bundled dev wallet. */
  scryptN?: number;
  /** pbkdf2 iterations. Default 262144. */
  pbkdf2Iterations?: number;
}

const malformed = (message: string) =>
  new KeystoreError('malformed', `malformed keystore: ${message}`);

function field(object: Record<string, unknown>, name: string, where: string): unknown {
  if (!(name in object) || object[name] === undefined || object[name] === null) {
    throw malformed(`missing ${where}${name}`);
  }
  return object[name];
}

function hexField(
  object: Record<string, unknown>,
  name: string,
  where: string,
  bytes?: number,
): Buffer {
  const value = field(object, name, where);
  const hex = typeof value === 'string' ? value.replace(/^0x/i, '') : '';
  if (!/^([0-9a-f]{2})+$/i.test(hex) || (bytes !== undefined && hex.length !== bytes * 2)) {
    throw malformed(
      `${where}${name} is not ${bytes === undefined ? 'hex' : `${bytes} bytes of hex`}`,
    );
  }
  return Buffer.from(hex, 'hex');
}

function positiveInteger(object: Record<string, unknown>, name: string, where: string): number {
  const value = field(object, name, where);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw malformed(`${where}${name} must be a positive integer`);
  }
  return value;
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed(`${what} is not an object`);
  return value as Record<string, unknown>;
}

function deriveKey(password: string, kdf: unknown, params: Record<string, unknown>): Buffer {
  const where = 'crypto.kdfparams.';
  if (kdf === 'scrypt') {
    const n = positiveInteger(params, 'n', where);
    const r = positiveInteger(params, 'r', where);
    const p = positiveInteger(params, 'p', where);
    const dklen = positiveInteger(params, 'dklen', where);
    if (n < 2 || (n & (n - 1)) !== 0) throw malformed(`${where}n must be a power of two`);
    if (dklen < 32) throw malformed(`${where}dklen must be at least 32`);
    // scrypt needs 128·r·(N + p + 2) bytes; node's default cap (32 MiB) is below n = 131072
    const maxmem = 128 * r * (n + p + 2) + 1024 * 1024;
    return scryptSync(password, hexField(params, 'salt', where), dklen, { N: n, r, p, maxmem });
  }
  if (kdf === 'pbkdf2') {
    const prf = field(params, 'prf', where);
    if (prf !== 'hmac-sha256')
      throw new KeystoreError(
        'unsupported',
        `unsupported pbkdf2 prf '${String(prf)}' (only hmac-sha256)`,
      );
    const dklen = positiveInteger(params, 'dklen', where);
    if (dklen < 32) throw malformed(`${where}dklen must be at least 32`);
    return pbkdf2Sync(
      password,
      hexField(params, 'salt', where),
      positiveInteger(params, 'c', where),
      dklen,
      'sha256',
    );
  }
  throw new KeystoreError(
    'unsupported',
    `unsupported keystore kdf '${String(kdf)}' (supported: scrypt, pbkdf2)`,
  );
}

function macOf(derivedKey: Buffer, ciphertext: Buffer): Buffer {
  return Buffer.from(
    hexToBytes(keccak256(Buffer.concat([derivedKey.subarray(16, 32), ciphertext]))),
  );
}

/** The private key of a v3 keystore (JSON text or parsed object). Throws KeystoreError. */
export function decryptKeystore(json: string | object, password: string): Hex {
  let parsed: unknown = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new KeystoreError(
        'malformed',
        `keystore is not valid JSON: ${(error as Error).message}`,
      );
    }
  }
  const keystore = asObject(parsed, 'keystore');
  if (keystore.version !== 3)
    throw new KeystoreError(
      'unsupported',
      `unsupported keystore version ${String(keystore.version)} (only 3)`,
    );
  // geth writes "crypto", some older tools "Crypto"
  const crypto = asObject(keystore.crypto ?? keystore.Crypto, 'keystore crypto section');
  const cipher = field(crypto, 'cipher', 'crypto.');
  if (cipher !== 'aes-128-ctr') {
    throw new KeystoreError(
      'unsupported',
      `unsupported keystore cipher '${String(cipher)}' (only aes-128-ctr)`,
    );
  }
  const iv = hexField(
    asObject(field(crypto, 'cipherparams', 'crypto.'), 'crypto.cipherparams'),
    'iv',
    'crypto.cipherparams.',
    16,
  );
  const ciphertext = hexField(crypto, 'ciphertext', 'crypto.');
  const mac = hexField(crypto, 'mac', 'crypto.', 32);
  const kdfparams = asObject(field(crypto, 'kdfparams', 'crypto.'), 'crypto.kdfparams');
  const derivedKey = deriveKey(password, field(crypto, 'kdf', 'crypto.'), kdfparams);

  if (!timingSafeEqual(macOf(derivedKey, ciphertext), mac)) {
    throw new KeystoreError('wrong-password', 'wrong keystore password (MAC mismatch)');
  }
  const decipher = createDecipheriv('aes-128-ctr', derivedKey.subarray(0, 16), iv);
  const privateKey = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  if (privateKey.length !== 32)
    throw malformed(`decrypted key is ${privateKey.length} bytes, not 32`);
  const key = bytesToHex(privateKey);
  if (typeof keystore.address === 'string' && keystore.address !== '') {
    const expected = keystore.address.replace(/^0x/i, '').toLowerCase();
    const actual = privateKeyToAddress(key).slice(2).toLowerCase();
    if (expected !== actual) {
      throw new KeystoreError(
        'address-mismatch',
        `keystore address 0x${expected} does not match its key (0x${actual})`,
      );
    }
  }
  return key;
}

/** A v3 keystore of `privateKey` (JSON.stringify it to write the file). */
export function encryptKeystore(
  privateKey: Hex,
  password: string,
  options: EncryptKeystoreOptions = {},
): KeystoreV3 {
  const key = Buffer.from(hexToBytes(privateKey));
  if (key.length !== 32) throw new KeystoreError('malformed', 'private key must be 32 bytes');
  const salt = randomBytes(32);
  const kdf = options.kdf ?? 'scrypt';
  const kdfparams: ScryptParams | Pbkdf2Params =
    kdf === 'scrypt'
      ? { n: options.scryptN ?? 131072, r: 8, p: 1, dklen: 32, salt: salt.toString('hex') }
      : {
          c: options.pbkdf2Iterations ?? 262144,
          dklen: 32,
          prf: 'hmac-sha256',
          salt: salt.toString('hex'),
        };
  const derivedKey = deriveKey(password, kdf, kdfparams as unknown as Record<string, unknown>);
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-ctr', derivedKey.subarray(0, 16), iv);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    address: privateKeyToAddress(privateKey).slice(2).toLowerCase(),
    id: randomUUID(),
    version: 3,
    crypto: {
      cipher: 'aes-128-ctr',
      cipherparams: { iv: iv.toString('hex') },
      ciphertext: ciphertext.toString('hex'),
      kdf,
      kdfparams,
      mac: macOf(derivedKey, ciphertext).toString('hex'),
    },
  };
}
