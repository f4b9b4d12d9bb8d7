/**
 * Gas price of the scheduler's own transactions (chain.md §11): the network price times
 * IEXEC_GAS_PRICE_MULTIPLIER (float math, truncated), capped at IEXEC_GAS_PRICE_CAP; the cap when
 * the network price is unavailable or zero.
 */
export function schedulerGasPrice(
  networkPrice: bigint | undefined,
  multiplier: number,
  cap: bigint,
): bigint {
  if (networkPrice === undefined || networkPrice <= 0n) return cap;
  // Any positive multiplier (below 1 lowers the price): 1e18 scaling keeps all of a double's
  // ~16 significant digits, so 0.0000001 is not rounded to 0.
  const scaled = (networkPrice * BigInt(Math.round(multiplier * 1e18))) / 10n ** 18n;
  return scaled > cap ? cap : scaled;
}

/** Price of a replacement transaction: at least +12.5 % (what nodes require), within the cap. */
export function replacementGasPrice(previous: bigint, cap: bigint): bigint | undefined {
  const bumped = (previous * 1125n) / 1000n + 1n;
  if (previous >= cap) return undefined;
  return bumped > cap ? cap : bumped;
}

/** Gas limits of the Java library for the scheduler's functions. */
export const GAS_LIMITS = { initialize: 300_000n, finalize: 3_000_000n } as const;
