import { concat, keccak256, numberToHex, toHex } from 'viem';
import { privateKeyToAccount, sign } from 'viem/accounts';
import {
  isLogsSignatureValid,
  logsChallengeDigest,
  logsChallengeDomainSeparator,
  logsChallengeMessageHash,
  logsChallengeTypedData,
  newLogsChallenge,
  parseLogsAuthorization,
} from '../../src/logs/logs-challenge.js';

// worker-api.md §13, EIP-712 log challenge.
const CHAIN_ID = 134;
const CHALLENGE = 'dGhpcyBpcyBhIHRlc3QgY2hhbGxlbmdlIDEyMzQ1Njc4OTA=';
const DOMAIN_SEPARATOR = '0xa33124d060fb54c0d6987c72af1bd45135edfcc9bb12235b7a2f48e9d0efb05a';
const MESSAGE_HASH = '0x685cffffe66184e31c8706c727307c805540001325d67d74d3505541d7bb0582';
const DIGEST = '0xf294d2f6a29275a24759b90089fd317c28ca6295bc26c5e0d9503b6e2c00d105';
const KEY = '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909';
const ADDRESS = '0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf';
const SIGNATURE =
  '0x036d2dfd56437d27606600851dd402ac39e4b395c2de9a3cf54db1c918f03ceb44186069258ccc8c5a726d4513abec20f4bd506f53fb38a4808569817c7ced051b';
const HEADER = `${DIGEST}_${SIGNATURE}_${ADDRESS}`;

describe('logsChallengeTypedData (§2.8, T3 body)', () => {
  it('has exactly the JSON shape of the spec, in order', () => {
    expect(JSON.stringify(logsChallengeTypedData(CHALLENGE, CHAIN_ID))).toBe(
      '{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},' +
        '{"name":"chainId","type":"uint256"}],"Challenge":[{"name":"challenge","type":"string"}]},' +
        '"domain":{"name":"iExec Core","version":"1","chainId":134},"primaryType":"Challenge",' +
        `"message":{"challenge":"${CHALLENGE}"}}`,
    );
  });

  it('refuses an invalid chain id', () => {
    expect(() => logsChallengeTypedData(CHALLENGE, -1)).toThrow();
    expect(() => logsChallengeTypedData(CHALLENGE, 1.5)).toThrow();
  });
});

describe('EIP-712 hashing (§13 vectors)', () => {
  it('domain separator', () => {
    expect(logsChallengeDomainSeparator(CHAIN_ID)).toBe(DOMAIN_SEPARATOR);
    // Independent recomputation: no verifyingContract in the domain type.
    const typeHash = keccak256(toHex('EIP712Domain(string name,string version,uint256 chainId)'));
    expect(
      keccak256(
        concat([
          typeHash,
          keccak256(toHex('iExec Core')),
          keccak256(toHex('1')),
          numberToHex(134, { size: 32 }),
        ]),
      ),
    ).toBe(DOMAIN_SEPARATOR);
  });

  it('message hash', () => {
    expect(logsChallengeMessageHash(CHALLENGE)).toBe(MESSAGE_HASH);
  });

  it('digest', () => {
    expect(logsChallengeDigest(CHALLENGE, CHAIN_ID)).toBe(DIGEST);
    expect(keccak256(concat(['0x1901', DOMAIN_SEPARATOR, MESSAGE_HASH]))).toBe(DIGEST);
  });

  it('depends on the chain id and the challenge', () => {
    expect(logsChallengeDigest(CHALLENGE, 1)).not.toBe(DIGEST);
    expect(logsChallengeDigest(`${CHALLENGE}x`, CHAIN_ID)).not.toBe(DIGEST);
  });

  it('the §13 signature is the deterministic raw signature of the digest with the key', async () => {
    await expect(sign({ hash: DIGEST, privateKey: KEY, to: 'hex' })).resolves.toBe(SIGNATURE);
  });
});

describe('parseLogsAuthorization', () => {
  it('splits the §13 header', () => {
    expect(parseLogsAuthorization(HEADER)).toEqual({ signature: SIGNATURE, address: ADDRESS });
  });

  it('drops trailing empty parts before counting (Java split)', () => {
    expect(parseLogsAuthorization(`${HEADER}_`)).toEqual({
      signature: SIGNATURE,
      address: ADDRESS,
    });
    expect(parseLogsAuthorization(`${HEADER}___`)).toEqual({
      signature: SIGNATURE,
      address: ADDRESS,
    });
    expect(parseLogsAuthorization('a_b_')).toBeUndefined();
  });

  it('keeps inner and leading empty parts', () => {
    expect(parseLogsAuthorization(`_${SIGNATURE}_${ADDRESS}`)).toEqual({
      signature: SIGNATURE,
      address: ADDRESS,
    });
    expect(parseLogsAuthorization(`${DIGEST}__${ADDRESS}`)).toEqual({
      signature: '',
      address: ADDRESS,
    });
  });

  it.each(['', '___', 'a', 'a_b', `${HEADER}_extra`, `${DIGEST}_${SIGNATURE}`])(
    'rejects %p',
    (header) => {
      expect(parseLogsAuthorization(header)).toBeUndefined();
    },
  );
});

describe('isLogsSignatureValid', () => {
  it('accepts the §13 signature for the §13 address, whatever its case', () => {
    expect(isLogsSignatureValid(CHALLENGE, CHAIN_ID, SIGNATURE, ADDRESS)).toBe(true);
    expect(isLogsSignatureValid(CHALLENGE, CHAIN_ID, SIGNATURE, ADDRESS.toLowerCase())).toBe(true);
    expect(isLogsSignatureValid(CHALLENGE, CHAIN_ID, SIGNATURE.slice(2), ADDRESS)).toBe(true);
  });

  it('ignores v', () => {
    expect(isLogsSignatureValid(CHALLENGE, CHAIN_ID, `${SIGNATURE.slice(0, -2)}1c`, ADDRESS)).toBe(
      true,
    );
  });

  it('rejects another challenge, chain or address', () => {
    expect(isLogsSignatureValid(newLogsChallenge(), CHAIN_ID, SIGNATURE, ADDRESS)).toBe(false);
    expect(isLogsSignatureValid(CHALLENGE, 1, SIGNATURE, ADDRESS)).toBe(false);
    expect(
      isLogsSignatureValid(
        CHALLENGE,
        CHAIN_ID,
        SIGNATURE,
        '0x108ca59d5d0eec2ff66003f8909eb40addd1a67d',
      ),
    ).toBe(false);
  });

  it('applies no message prefix', async () => {
    const prefixed = await privateKeyToAccount(KEY).signMessage({ message: { raw: DIGEST } });
    expect(isLogsSignatureValid(CHALLENGE, CHAIN_ID, prefixed, ADDRESS)).toBe(false);
  });

  it('never throws', () => {
    const loose = isLogsSignatureValid as (...args: unknown[]) => boolean;
    expect(loose(CHALLENGE, CHAIN_ID, '', ADDRESS)).toBe(false);
    expect(loose(CHALLENGE, CHAIN_ID, 'garbage', ADDRESS)).toBe(false);
    expect(loose(CHALLENGE, -5, SIGNATURE, ADDRESS)).toBe(false);
    expect(loose(undefined, CHAIN_ID, SIGNATURE, ADDRESS)).toBe(false);
    expect(loose(CHALLENGE, CHAIN_ID, SIGNATURE, undefined)).toBe(false);
  });
});

describe('newLogsChallenge', () => {
  it('is Base64 of 32 random bytes', () => {
    const c = newLogsChallenge();
    expect(c).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(new Set(Array.from({ length: 20 }, () => newLogsChallenge())).size).toBe(20);
  });

  it('redraws a challenge that would start with 0x', () => {
    // 0xd3 0x1? encodes to Base64 "0x...".
    const draws = [new Uint8Array(32).fill(0x11), new Uint8Array(32).fill(0x22)];
    draws[0][0] = 0xd3;
    expect(Buffer.from(draws[0]).toString('base64').startsWith('0x')).toBe(true);
    let calls = 0;
    const challenge = newLogsChallenge(() => draws[calls++]);
    expect(calls).toBe(2);
    expect(challenge).toBe(Buffer.from(draws[1]).toString('base64'));
  });
});
