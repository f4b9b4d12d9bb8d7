import { startFerretDb } from './mongo-server.js';

/** Uses MONGO_URL when given (e.g. a real MongoDB); otherwise starts FerretDB for this test run. */
export default async function mongoGlobalSetup() {
  if (process.env.MONGO_URL) return;
  const server = await startFerretDb();
  process.env.MONGO_URL = server.url;
  globalThis.__IEXEC_MONGO_SERVER__ = server;
}
