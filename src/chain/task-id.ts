import { encodePacked, isHex, keccak256, type Hex } from 'viem';

/**
 * chainTaskId = keccak256(dealId as 32 raw bytes ‖ index as uint256 big-endian), i.e. Solidity
 * keccak256(abi.encodePacked(dealid, idx)); lowercase (task-lifecycle.md §1).
 */
export function chainTaskId(dealId: Hex, index: number | bigint): Hex {
  if (!isHex(dealId, { strict: true }) || dealId.length !== 66) {
    throw new Error(`chainTaskId: dealId must be 32 bytes of 0x hex, got ${String(dealId)}`);
  }
  if (typeof index === 'number' && !Number.isSafeInteger(index)) {
    throw new Error(`chainTaskId: index must be an integer, got ${index}`);
  }
  const idx = BigInt(index);
  if (idx < 0n || idx >= 2n ** 256n)
    throw new Error(`chainTaskId: index out of uint256 range: ${idx}`);
  return keccak256(encodePacked(['bytes32', 'uint256'], [dealId.toLowerCase() as Hex, idx]));
}
