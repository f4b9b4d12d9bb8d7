import { replacementGasPrice, schedulerGasPrice } from '../../src/chain/writer/gas-price.js';
import {
  callbackDataProblem,
  finalizeCallbackBytes,
  finalizeResultsBytes,
} from '../../src/chain/writer/chain-writer.js';

describe('scheduler gas price', () => {
  const cap = 22_000_000_000n;
  it('multiplies the network price', () => {
    expect(schedulerGasPrice(1_000_000_000n, 1.3, cap)).toBe(1_300_000_000n);
    expect(schedulerGasPrice(1_000_000_000n, 1, cap)).toBe(1_000_000_000n);
  });
  it('lowers it with any positive multiplier below 1, however small', () => {
    expect(schedulerGasPrice(1_000_000_000n, 0.5, cap)).toBe(500_000_000n);
    expect(schedulerGasPrice(1_000_000_000n, 0.0000001, cap)).toBe(100n);
  });
  it('caps it', () => {
    expect(schedulerGasPrice(20_000_000_000n, 2, cap)).toBe(cap);
  });
  it('uses the cap when the network price is unknown or zero', () => {
    expect(schedulerGasPrice(undefined, 1, cap)).toBe(cap);
    expect(schedulerGasPrice(0n, 1.5, cap)).toBe(cap);
  });
  it('bumps a replacement by at least 12.5 % and never above the cap', () => {
    expect(replacementGasPrice(1_000_000_000n, cap)).toBe(1_125_000_001n);
    expect(replacementGasPrice(21_000_000_000n, cap)).toBe(cap);
    expect(replacementGasPrice(cap, cap)).toBeUndefined();
  });
});

describe('finalize arguments', () => {
  it('encodes the result link as UTF-8 bytes', () => {
    expect(finalizeResultsBytes('/ipfs/Qm')).toBe('0x2f697066732f516d');
    expect(finalizeResultsBytes(undefined)).toBe('0x');
  });
  it('hex-decodes callback data', () => {
    expect(finalizeCallbackBytes('0xABcd')).toBe('0xabcd');
    expect(finalizeCallbackBytes('')).toBe('0x');
    expect(() => finalizeCallbackBytes('0xzz')).toThrow(/not hex/);
  });
  it('says why callback data cannot be finalized', () => {
    expect(callbackDataProblem(undefined)).toBeUndefined();
    expect(callbackDataProblem(null)).toBeUndefined();
    expect(callbackDataProblem('0xABcd')).toBeUndefined();
    expect(callbackDataProblem('abcd')).toBeUndefined();
    expect(callbackDataProblem('0xabc')).toBe('callback data is not hex: 0xabc');
    expect(callbackDataProblem(`0x${'z'.repeat(200)}`)).toBe(
      `callback data is not hex: 0x${'z'.repeat(78)}…`,
    );
  });
});
