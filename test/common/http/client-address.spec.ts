import { clientOf } from '../../../src/common/http/client-address.js';

describe('clientOf (whom a request or push session counts against)', () => {
  it('is the TCP peer when that peer is a public address, whatever the headers say', () => {
    expect(clientOf('203.0.113.7', { 'x-forwarded-for': '198.51.100.1' })).toBe('203.0.113.7');
    expect(clientOf('2001:db8::1', { 'x-real-ip': '198.51.100.1' })).toBe('2001:db8::1');
  });

  it('is the first forwarded address when the peer is a proxy on loopback or a private network', () => {
    const forwarded = { 'x-forwarded-for': '198.51.100.1, 10.0.0.2' };
    for (const proxy of [
      '127.0.0.1',
      '::1',
      '::ffff:10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      'fd00::5',
    ]) {
      expect(clientOf(proxy, forwarded)).toBe('198.51.100.1');
    }
    expect(clientOf('10.0.0.9', { 'x-real-ip': '198.51.100.2' })).toBe('198.51.100.2');
  });

  it('is the proxy itself when it forwards nothing', () => {
    expect(clientOf('127.0.0.1', {})).toBe('127.0.0.1');
    expect(clientOf('172.32.0.1', { 'x-forwarded-for': '198.51.100.1' })).toBe('172.32.0.1');
    expect(clientOf(undefined)).toBe('unknown');
  });
});
