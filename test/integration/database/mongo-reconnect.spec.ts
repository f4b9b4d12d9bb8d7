import mongoose from 'mongoose';
import { mongoConnectionOptions } from '../../../src/database/mongo-options.js';
import { startFerretDb, type MongoTestServer } from '../../setup/mongo-server.js';
import { testConfig } from '../../support/config.js';

// Restarting needs a FerretDB of our own: a run against an external MongoDB (MONGO_URL) skips it.
const describeOwnServer = process.env.IEXEC_TEST_FERRETDB ? describe : describe.skip;

describeOwnServer('MongoDB connection across a database restart', () => {
  let server: MongoTestServer;
  let connection: mongoose.Connection;

  beforeAll(async () => {
    server = await startFerretDb();
    const { uri, retryAttempts, connectionErrorFactory, connectionFactory, ...options } =
      mongoConnectionOptions(testConfig({ MONGO_URL: server.url }));
    void retryAttempts;
    void connectionErrorFactory;
    void connectionFactory;
    connection = await mongoose.createConnection(uri!, options).asPromise();
  }, 60_000);

  afterAll(async () => {
    await connection?.close(true);
    await server?.stop();
  });

  it('writes again within 10 s of the server coming back (the chaos table’s database row)', async () => {
    const probes = connection.collection('reconnectProbe');
    await probes.insertOne({ phase: 'before' });

    await server.restart(3000);
    const back = Date.now();
    let wrote = false;
    while (!wrote && Date.now() - back < 15_000) {
      wrote = await probes.insertOne({ phase: 'after' }).then(
        () => true,
        () => new Promise<boolean>((r) => setTimeout(() => r(false), 200)),
      );
    }
    const recoveryMs = Date.now() - back;

    expect(wrote).toBe(true);
    expect(recoveryMs).toBeLessThan(10_000);
    expect(await probes.countDocuments({})).toBe(2);
  }, 60_000);
});
