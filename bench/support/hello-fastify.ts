// The ceiling of bench/worker-load.ts: a bare Fastify server (no Nest, no guard, no validation,
// no database) answering the worker calls the load generator makes with constants, so the very
// same simulated workers can run against it. Run in a child process; prints `READY <port>`.
//   node --import tsx bench/support/hello-fastify.ts [--ask-ms 1000]
import Fastify from 'fastify';
import { option } from './env.js';

const askMs = option('ask-ms', 1000);
const config = {
  workerPoolAddress: '0x0000000000000000000000000000000000000001',
  schedulerPublicAddress: '0x0000000000000000000000000000000000000002',
  blockchainAdapterUrl: null,
  configServerUrl: null,
  resultRepositoryURL: null,
  askForReplicatePeriod: askMs,
  requiredWorkerVersion: '',
};

const app = Fastify({ logger: false });
// The workers send `Content-Type: application/json` on every call, bodies or not.
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
  done(null, body),
);
app.get('/workers/config', async () => config);
app.get('/workers/challenge', async () => `0x${'ab'.repeat(32)}`);
app.post('/workers/login', async () => 'hello-token');
app.post('/workers/register', async (_req, reply) => reply.send());
app.post('/workers/ping', async () => 'hello');
app.get('/replicates/interrupted', async (_req, reply) =>
  reply.type('application/json').send('[]'),
);
app.get('/replicates/available', async (_req, reply) => reply.code(204).send());
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`READY ${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
