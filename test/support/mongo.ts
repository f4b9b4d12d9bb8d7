import { randomBytes } from 'node:crypto';
import { mongo } from 'mongoose';

/** The server started by the global setup (or given by the caller). */
export function mongoServerUrl(): string {
  const url = process.env.MONGO_URL;
  if (!url)
    throw new Error('MONGO_URL is not set: run integration tests through jest (global setup)');
  return url;
}

/** A connection string to a fresh database of its own, so test files can run in parallel. */
export function isolatedMongoUrl(label = 'test'): string {
  const url = new URL(mongoServerUrl());
  const safe = label.replace(/[^A-Za-z0-9]/g, '_').slice(0, 20);
  url.pathname = `/t_${safe}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  return url.toString();
}

export async function dropDatabase(url: string): Promise<void> {
  const client = new mongo.MongoClient(url, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
