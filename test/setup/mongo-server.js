// The Mongo-wire server lives with the dev stack (npm run dev uses it too).
export * from '../../devstack/mongo-server.js';
