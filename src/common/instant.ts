/** A point in time: a `Date` (persisted fields) or epoch milliseconds (chain values). */
export type Instant = Date | number;

export function toMillis(instant: Instant): number {
  return instant instanceof Date ? instant.getTime() : instant;
}
