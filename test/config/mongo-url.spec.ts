import { loadConfig } from '../../src/config/load-config.js';

// MONGO_URL as operators write it (issue 18 §3: a bad one is never echoed with its password).
describe('MONGO_URL', () => {
  it('takes a replica set URL (several hosts with ports) and its database', () => {
    const url = 'mongodb://u:p@h1:27017,h2:27017/pool?replicaSet=rs0&authSource=admin';
    expect(loadConfig({ MONGO_URL: url }).mongo).toMatchObject({ url, database: 'pool' });
    expect(loadConfig({ MONGO_URL: 'mongodb://h1,h2/?replicaSet=rs0' }).mongo.database).toBe(
      'iexec',
    );
    expect(loadConfig({ MONGO_URL: 'mongodb+srv://u:p@cluster0.example.net' }).mongo.database).toBe(
      'iexec',
    );
  });

  it('refuses a URL without its scheme or host, never echoing the password', () => {
    for (const url of ['pool:hunter2@db:27017/iexec', 'mongodb://pool:hunter2@']) {
      let message = '';
      try {
        loadConfig({ MONGO_URL: url });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toContain('MONGO_URL="');
      expect(message).toContain('pool:***@');
      expect(message).not.toContain('hunter2');
    }
  });
});
