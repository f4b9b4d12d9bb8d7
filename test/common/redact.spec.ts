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
});
