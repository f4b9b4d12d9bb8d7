import { mongo } from 'mongoose';

/**
 * The fields iexec-core 8.5 maps from a Java `long` / `Long` (BSON Int64), by collection, as
 * dotted paths with array positions left out. JavaScript numbers are written as Int32 by the
 * driver; Spring would read them back, but a database handed back to the Java scheduler keeps its
 * types (issue 17).
 */
export const JAVA_LONG_PATHS: Readonly<Record<string, ReadonlySet<string>>> = {
  task: new Set([
    'version',
    'dealBlockNumber',
    'maxExecutionTime',
    'initializationBlockNumber',
    'consensusReachedBlockNumber',
    'dateStatusList.chainReceipt.blockNumber',
  ]),
  replicatesList: new Set([
    'version',
    'replicates.statusUpdateList.details.chainReceipt.blockNumber',
  ]),
  taskLogs: new Set(['version']),
  configuration: new Set(['version']),
  replayConfiguration: new Set(['version']),
};

const NUMERIC = /^\d+$/;

function convert(value: unknown, path: string, longs: ReadonlySet<string>): unknown {
  if (typeof value === 'number') {
    return longs.has(path) && Number.isInteger(value) ? mongo.Long.fromNumber(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, path, longs));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if ('_bsontype' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // update operators ($set, $push, $each…) and array positions are not part of the field path
    const segments = key.startsWith('$') ? [] : key.split('.').filter((s) => !NUMERIC.test(s));
    const next = [path, ...segments].filter(Boolean).join('.');
    out[key] = convert(v, next, longs);
  }
  return out;
}

/**
 * A copy of `value` (a document or an update of `collection`) with the integers on Java long
 * fields as Int64; anything else is returned as is.
 */
export function withJavaLongs<T>(collection: string, value: T): T {
  const longs = JAVA_LONG_PATHS[collection];
  return longs ? (convert(value, '', longs) as T) : value;
}
