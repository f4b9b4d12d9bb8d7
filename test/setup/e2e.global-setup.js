import mongoGlobalSetup from './mongo.global-setup.js';

export default async function e2eGlobalSetup() {
  await mongoGlobalSetup();
}
