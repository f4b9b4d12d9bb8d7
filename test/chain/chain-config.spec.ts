import {
  blockFollowingPollMs,
  ChainConfigError,
  parseChainConfig,
} from '../../src/chain/chain-config.js';

const HUB = '0x3eca1B216A7DF1C7689aEb259fFB83ADFB894E7f';

describe('parseChainConfig', () => {
  it('reads the adapter example (decimal seconds, boolean sidechain)', () => {
    expect(
      parseChainConfig({
        chainId: 134,
        sidechain: true,
        chainNodeUrl: 'https://bellecour.iex.ec',
        iexecHubContractAddress: HUB,
        blockTime: 5.0,
      }),
    ).toEqual({ chainId: 134, hubAddress: HUB, blockTimeMs: 5000, sidechain: true });
  });

  it('accepts an ISO duration (any case) and a string sidechain flag', () => {
    expect(
      parseChainConfig({
        chainId: 255,
        sidechain: 'true',
        blockTime: 'PT5s',
        iexecHubContractAddress: HUB,
      }),
    ).toEqual({ chainId: 255, hubAddress: HUB, blockTimeMs: 5000, sidechain: true });
    expect(
      parseChainConfig({
        chainId: 1,
        sidechain: 'false',
        blockTime: 'PT0.5S',
        iexecHubContractAddress: HUB,
      }),
    ).toMatchObject({
      blockTimeMs: 500,
      sidechain: false,
    });
  });

  it('refuses a missing hub address, as the Java scheduler does', () => {
    expect(() =>
      parseChainConfig({
        chainId: 255,
        chainNodeUrl: 'http://localhost:8545',
        blockTime: 'PT5s',
        sidechain: 'true',
      }),
    ).toThrow(/iexecHubContractAddress is missing/);
  });

  it.each([
    [{ chainId: 1, iexecHubContractAddress: HUB, blockTime: 0 }, /strictly positive/],
    [{ chainId: 1, iexecHubContractAddress: HUB, blockTime: 'soon' }, /duration/],
    [{ chainId: 'x', iexecHubContractAddress: HUB, blockTime: 5 }, /chainId/],
    [{ chainId: 1, iexecHubContractAddress: '0x12', blockTime: 5 }, /address/],
    [{ chainId: 1, iexecHubContractAddress: HUB, blockTime: 5, sidechain: 'maybe' }, /sidechain/],
    ['not an object', /not a JSON object/],
  ])('rejects %j', (body, message) => {
    expect(() => parseChainConfig(body)).toThrow(ChainConfigError);
    expect(() => parseChainConfig(body)).toThrow(message);
  });
});

describe('blockFollowingPollMs', () => {
  it.each([
    [5000, 500], // Bellecour: capped at 500 ms
    [1000, 250],
    [250, 100], // Arbitrum: not below 100 ms
    [1, 100],
  ])('a block every %i ms: polls every %i ms', (blockTimeMs, pollMs) => {
    expect(blockFollowingPollMs(blockTimeMs)).toBe(pollMs);
  });
});
