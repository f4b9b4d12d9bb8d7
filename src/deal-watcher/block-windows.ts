export interface BlockWindow {
  from: bigint;
  to: bigint;
}

/** The next window of at most `maxRange` blocks from `from` up to `head` (inclusive), if any. */
export function nextWindow(from: bigint, head: bigint, maxRange: number): BlockWindow | undefined {
  if (from > head) return undefined;
  const last = from + BigInt(maxRange) - 1n;
  return { from, to: last < head ? last : head };
}
