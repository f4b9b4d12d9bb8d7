import { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';

/** The shape of an index as `listIndexes` reports it. */
export interface ExistingIndex {
  name?: string;
  key: Record<string, unknown>;
  unique?: boolean;
}

/** An index a schema declares: its key and its options (name included). */
export type DeclaredIndex = [Record<string, unknown>, { name?: string; unique?: boolean }];

const sameKey = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => {
  const ea = Object.entries(a);
  const eb = Object.entries(b);
  return ea.length === eb.length && ea.every(([k, v], i) => eb[i][0] === k && eb[i][1] === v);
};

/**
 * The existing indexes to drop so that the declared ones can be created: one on a declared key
 * under another name (Mongoose's `chainTaskId_1`, written by our earlier versions, where Spring
 * Data names it `chainTaskId`; MongoDB refuses a second index on one key), or one under a declared
 * name whose key or uniqueness differ. `_id_` and indexes on other keys are left alone.
 */
export function indexesToDrop(existing: ExistingIndex[], declared: DeclaredIndex[]): string[] {
  const drop: string[] = [];
  for (const index of existing) {
    if (!index.name || index.name === '_id_') continue;
    const match = declared.find(
      ([key, options]) => options.name === index.name || sameKey(key, index.key),
    );
    if (!match) continue;
    const [key, options] = match;
    const same =
      options.name === index.name &&
      sameKey(key, index.key) &&
      Boolean(options.unique) === Boolean(index.unique);
    if (!same) drop.push(index.name);
  }
  return drop;
}

const NAMESPACE_NOT_FOUND = 26;
const logger = new Logger('JavaIndexes');

/**
 * Creates the collection of `model` and the indexes its schema declares, under the names the
 * Java scheduler gives them, after dropping the ones in the way (see indexesToDrop). The schema
 * must have `autoIndex: false`: Mongoose's own index build at model creation would fail first.
 */
export async function syncJavaIndexes<T>(model: Model<T>): Promise<void> {
  await model.createCollection();
  let existing: ExistingIndex[];
  try {
    existing = (await model.collection.indexes()) as ExistingIndex[];
  } catch (error) {
    if ((error as { code?: number }).code !== NAMESPACE_NOT_FOUND) throw error;
    existing = [];
  }
  const declared = model.schema.indexes() as DeclaredIndex[];
  for (const name of indexesToDrop(existing, declared)) {
    logger.log(`Index ${model.collection.collectionName}.${name} replaced by its Java name`);
    await model.collection.dropIndex(name);
  }
  await model.ensureIndexes();
}
