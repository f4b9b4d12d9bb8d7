// Simulated iexec-worker fleet for end-to-end tests, benchmarks and `npm run dev`
// (docs/simulated-worker.md). Never imported by src/.
export * from './behaviours.js';
export * from './decoders.js';
export * from './enclave-signer.js';
export * from './fleet.js';
export * from './http.js';
export * from './protocol.js';
export * from './push-client.js';
export * from './result-uploader.js';
export * from './result.js';
export * from './scheduler-api.js';
export * from './simulated-worker.js';
export * from './stats.js';
export * from './task-runner.js';
export * from './worker-chain.js';
export * from './worker-push.js';
export * from './worker-session.js';
