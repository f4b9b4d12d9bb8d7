import { getAddress, isAddress } from 'viem';
import { chainAddress } from '../../src/chain/chain-models.js';

describe('chainAddress', () => {
  const lower = '0xbcd4042de499d14e55001ccbb24a551f3b954096';

  it('gives the chain client a valid address whatever the casing of the wallet string', () => {
    for (const wallet of [lower, getAddress(lower), `0x${lower.slice(2).toUpperCase()}`]) {
      expect(chainAddress(wallet)).toBe(lower);
      expect(isAddress(chainAddress(wallet))).toBe(true);
    }
    // What viem would refuse as is: mixed case that is not the checksum.
    expect(isAddress(`0x${lower.slice(2).toUpperCase()}`)).toBe(false);
  });
});
