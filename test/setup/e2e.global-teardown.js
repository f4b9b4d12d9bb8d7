import mongoGlobalTeardown from './mongo.global-teardown.js';

export default async function e2eGlobalTeardown() {
  await mongoGlobalTeardown();
}
