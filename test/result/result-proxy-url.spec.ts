import { resultProxyUrlOf } from '../../src/result/result-proxy-url.js';

const configured = 'http://result-proxy:13200';

describe('resultProxyUrlOf (iexec-core 8.6 #716, issue 16 §6)', () => {
  it.each([
    [null, configured],
    [undefined, configured],
    ['', configured],
    ['   ', configured],
    ['https://result.v8-bellecour.iex.ec', 'https://result.v8-bellecour.iex.ec'],
    ['  http://10.0.0.7:13200/ ', 'http://10.0.0.7:13200'],
    ['http://proxy.example/base//', 'http://proxy.example/base'],
  ])('deal proxy %j → %s', (dealProxy, expected) => {
    expect(resultProxyUrlOf(dealProxy, configured)).toBe(expected);
  });

  it.each(['not a url', 'ftp://proxy.example', 'file:///etc/passwd'])(
    'a deal proxy %j that is not an http(s) URL cannot be asked',
    (dealProxy) => {
      expect(resultProxyUrlOf(dealProxy, configured)).toBeUndefined();
    },
  );
});
