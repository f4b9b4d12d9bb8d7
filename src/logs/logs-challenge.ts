import { randomBytes } from 'node:crypto';
import { domainSeparator, hashStruct, hashTypedData, type Hex } from 'viem';
import { isRsSignatureFrom } from '../common/signature-recovery.js';

/** EIP-712 challenge protecting the task logs endpoints (worker-api.md §2.8, T3–T7). */

export interface LogsChallengeTypedData {
  types: {
    EIP712Domain: [
      { name: 'name'; type: 'string' },
      { name: 'version'; type: 'string' },
      { name: 'chainId'; type: 'uint256' },
    ];
    Challenge: [{ name: 'challenge'; type: 'string' }];
  };
  domain: { name: 'iExec Core'; version: '1'; chainId: number };
  primaryType: 'Challenge';
  message: { challenge: string };
}

/** The T3 body, keys in the reference order (`verifyingContract` absent: it is null there). */
export function logsChallengeTypedData(challenge: string, chainId: number): LogsChallengeTypedData {
  if (!Number.isSafeInteger(chainId) || chainId < 0) throw new Error(`invalid chainId ${chainId}`);
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' },
        { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' },
      ],
      Challenge: [{ name: 'challenge', type: 'string' }],
    },
    domain: { name: 'iExec Core', version: '1', chainId },
    primaryType: 'Challenge',
    message: { challenge },
  };
}

export function logsChallengeDomainSeparator(chainId: number): Hex {
  return domainSeparator({ domain: logsChallengeTypedData('', chainId).domain });
}

/**
 * hashStruct(Challenge). Always hashes the text; the reference would hash a `0x…` challenge
 * as hex, which is why {@link newLogsChallenge} never produces one.
 */
export function logsChallengeMessageHash(challenge: string): Hex {
  const { types, message } = logsChallengeTypedData(challenge, 0);
  return hashStruct({ data: message, primaryType: 'Challenge', types });
}

/** keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)). */
export function logsChallengeDigest(challenge: string, chainId: number): Hex {
  const { domain, types, message } = logsChallengeTypedData(challenge, chainId);
  // viem derives EIP712Domain(string name,string version,uint256 chainId) from the domain keys.
  return hashTypedData({
    domain,
    types: { Challenge: types.Challenge },
    primaryType: 'Challenge',
    message,
  });
}

/**
 * Splits the T4–T7 `Authorization` header `<digest>_<signature>_<address>`. Like Java
 * `String.split("_")`, trailing empty parts are dropped before counting; exactly three remain.
 */
export function parseLogsAuthorization(
  header: string,
): { signature: string; address: string } | undefined {
  if (typeof header !== 'string') return undefined;
  const parts = header.split('_');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length !== 3) return undefined;
  return { signature: parts[1], address: parts[2] };
}

/**
 * True when `signature` (r, s only; recovery ids 0..3; no message prefix) recovers `address`
 * (case-insensitive) from the digest of `challenge`. Never throws.
 */
export function isLogsSignatureValid(
  challenge: string,
  chainId: number,
  signature: string,
  address: string,
): boolean {
  let digest: Hex;
  try {
    if (typeof challenge !== 'string') return false;
    digest = logsChallengeDigest(challenge, chainId);
  } catch {
    return false;
  }
  return isRsSignatureFrom(digest, signature, address);
}

/** Base64 of 32 CSPRNG bytes, redrawn while it starts with `0x` (see logsChallengeMessageHash). */
export function newLogsChallenge(random: (size: number) => Uint8Array = randomBytes): string {
  for (;;) {
    const challenge = Buffer.from(random(32)).toString('base64');
    if (!challenge.startsWith('0x')) return challenge;
  }
}
