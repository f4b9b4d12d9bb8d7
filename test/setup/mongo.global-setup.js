import { startFerretDb } from './mongo-server.js';

/** Uses MONGO_URL when given (e.g. a real MongoDB); otherwise starts FerretDB for this test run. */
export default async function mongoGlobalSetup() {
  if (process.env.MONGO_URL) return;
  const server = await startFerretDb();
  process.env.MONGO_URL = server.url;
  // tests that restart a server of their own need the FerretDB build this run has
  process.env.IEXEC_TEST_FERRETDB = '1';
  globalThis.__IEXEC_MONGO_SERVER__ = server;
}
