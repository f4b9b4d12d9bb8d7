export default async function mongoGlobalTeardown() {
  const server = globalThis.__IEXEC_MONGO_SERVER__;
  if (!server) return;
  delete globalThis.__IEXEC_MONGO_SERVER__;
  delete process.env.MONGO_URL;
  delete process.env.IEXEC_TEST_FERRETDB;
  await server.stop();
}
