/** The update operators `mergeUpdates` knows how to combine. */
const MERGEABLE = new Set(['$set', '$push', '$inc']);

type Operations = Record<string, unknown>;
export type MergeableUpdate = Partial<Record<'$set' | '$push' | '$inc', Operations>>;

/**
 * One update document doing what `updates` do one after the other, or null when they cannot be
 * written as one: an operator other than $set / $push / $inc, or two paths that would conflict
 * in one MongoDB update (the same path under two operators, or a path inside another, such as
 * `replicates` and `replicates.0.statusUpdateList`). Same-path merges: $set keeps the last value,
 * $push appends in order (as `$each`), $inc adds.
 */
export function mergeUpdates(updates: readonly object[]): MergeableUpdate | null {
  const merged: Required<MergeableUpdate> = { $set: {}, $push: {}, $inc: {} };
  const operatorOf = new Map<string, string>();
  for (const update of updates) {
    for (const [operator, operations] of Object.entries(update)) {
      if (!MERGEABLE.has(operator) || !isPlainObject(operations)) return null;
      for (const [path, value] of Object.entries(operations)) {
        const seen = operatorOf.get(path);
        if (seen !== undefined && seen !== operator) return null;
        if (seen === undefined && [...operatorOf.keys()].some((p) => nested(p, path))) return null;
        operatorOf.set(path, operator);
        const target = merged[operator as keyof MergeableUpdate];
        if (operator === '$set') target[path] = value;
        else if (operator === '$inc')
          target[path] = ((target[path] as number | undefined) ?? 0) + (value as number);
        else {
          const pushed = pushedOf(value);
          if (!pushed) return null;
          target[path] = { $each: [...(pushedOf(target[path]) ?? []), ...pushed] };
        }
      }
    }
  }
  const result: MergeableUpdate = {};
  for (const operator of ['$set', '$push', '$inc'] as const) {
    if (Object.keys(merged[operator]).length > 0) result[operator] = merged[operator];
  }
  return result;
}

/** The values a $push operand appends: its `$each`, or itself; null with any other modifier. */
function pushedOf(value: unknown): unknown[] | null {
  if (value === undefined) return [];
  if (isPlainObject(value) && '$each' in value) {
    const plain = Object.keys(value).length === 1 && Array.isArray(value.$each);
    return plain ? (value.$each as unknown[]) : null;
  }
  return [value];
}

function nested(a: string, b: string): boolean {
  return a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}
