/** MongoDB duplicate-key error code (unique index violation). */
export const DUPLICATE_KEY = 11000;

interface WriteErrorLike {
  code?: number;
  index?: number;
}

/** True when the error is a duplicate-key violation (single write or bulk). */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: WriteErrorLike[] } | undefined;
  if (!e) return false;
  if (e.code === DUPLICATE_KEY) return true;
  return (
    Array.isArray(e.writeErrors) &&
    e.writeErrors.length > 0 &&
    e.writeErrors.every((w) => w.code === DUPLICATE_KEY)
  );
}

/**
 * For an unordered insertMany that failed only on duplicate keys, returns the indexes of the
 * documents that were rejected; rethrows anything else.
 */
export function duplicateIndexes(error: unknown): Set<number> {
  const e = error as { code?: number; writeErrors?: WriteErrorLike[] | WriteErrorLike } | undefined;
  const writeErrors =
    e?.writeErrors === undefined
      ? []
      : Array.isArray(e.writeErrors)
        ? e.writeErrors
        : [e.writeErrors];
  if (writeErrors.length === 0 || !writeErrors.every((w) => w.code === DUPLICATE_KEY)) throw error;
  return new Set(writeErrors.map((w) => w.index ?? -1));
}
