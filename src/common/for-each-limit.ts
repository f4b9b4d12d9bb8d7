/**
 * Runs `work` on every item with at most `limit` calls in flight, and resolves when all are done.
 * A rejection does not stop the others; the first one is rethrown at the end.
 */
export async function forEachLimit<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  if (!(limit >= 1)) throw new RangeError(`limit must be at least 1, got ${limit}`);
  const all = [...items];
  const failures: unknown[] = [];
  let next = 0;
  const lane = async () => {
    while (next < all.length) {
      const item = all[next++];
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, all.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
