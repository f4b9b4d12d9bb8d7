import { displayedValue, originOf, redactCredentials } from '../../src/common/redact.js';

describe('redaction of URLs and secrets', () => {
  it('keeps only the origin of a node URL (hosted RPC URLs carry API keys)', () => {
    expect(originOf('https://mainnet.infura.io/v3/0123456789abcdef')).toBe(
      'https://mainnet.infura.io',
    );
    expect(originOf('https://user:pw@rpc.example.com:8545/key?apikey=1')).toBe(
      'https://rpc.example.com:8545',
    );
    expect(originOf('not a url')).toBe('<not a URL>');
  });

  it('hides the password of a URL', () => {
    expect(redactCredentials('mongodb://iexec:hunter2@db:27017/iexec')).toBe(
      'mongodb://iexec:***@db:27017/iexec',
    );
    expect(redactCredentials('iexec:hunter2@db:27017/iexec')).toBe('iexec:***@db:27017/iexec');
    expect(redactCredentials('mongodb://iexec:hun@ter2@db/iexec')).toBe(
      'mongodb://iexec:***@db/iexec',
    );
    expect(redactCredentials('mongodb://h1:27017,h2:27017/iexec?a=b@c')).toBe(
      'mongodb://h1:27017,h2:27017/iexec?a=b@c',
    );
    expect(redactCredentials('http://host:8545/path')).toBe('http://host:8545/path');
  });

  it('shows no secret value in a config error, and URLs without their password', () => {
    expect(displayedValue('IEXEC_CORE_ADMIN_TOKEN', 'short')).toBe('(hidden)');
    expect(displayedValue('IEXEC_CORE_WALLET_PASSWORD', '')).toBe('""');
    expect(displayedValue('MONGO_URL', 'mongodb://u:p@h/x?bad')).toBe('"mongodb://u:***@h/x?bad"');
    expect(displayedValue('IEXEC_CORE_PORT', 'http')).toBe('"http"');
  });

  it("shows a node URL in a config error without its path or query (a hosted node's API key)", () => {
    const key = 'a1b2c3d4e5f6';
    for (const [value, shown] of [
      [`https://mainnet.infura.io/v3/${key}`, 'https://mainnet.infura.io/…'],
      [`htps//rpc.example/${key}`, 'htps/…'],
      [`https://rpc.example?apikey=${key}`, 'https://rpc.example/…'],
      [`https://u:${key}@rpc.example:8545`, 'https://u:***@rpc.example:8545'],
      ['http://127.0.0.1:8545', 'http://127.0.0.1:8545'],
    ]) {
      for (const name of ['IEXEC_PRIVATE_CHAIN_ADDRESS', 'IEXEC_BLOCKCHAIN_NODE_ADDRESS']) {
        expect(displayedValue(name, value)).toBe(JSON.stringify(shown));
        expect(displayedValue(name, value)).not.toContain(key);
      }
    }
  });
});
