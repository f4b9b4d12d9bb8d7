export * from '../../devstack/mongo-server.js';
