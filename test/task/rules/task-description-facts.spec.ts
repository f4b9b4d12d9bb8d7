import { isTeeTag, teeFrameworkOfTag } from '../../../src/chain/tee-tag.js';
import { ZERO_ADDRESS } from '../../../src/chain/chain-models.js';
import {
  containsCallback,
  isEligibleToContributeAndFinalize,
} from '../../../src/task/rules/task-description-facts.js';

const tag = (lastByte: string) => `0x${'0'.repeat(62)}${lastByte}`;

describe('TEE tag nibble (lifecycle §10)', () => {
  it.each([
    ['03', 'SCONE'],
    ['05', 'GRAMINE'],
    ['13', 'SCONE'],
    ['f5', 'GRAMINE'],
    ['0F', undefined],
    ['00', undefined],
    ['01', undefined],
    ['07', undefined],
    ['09', 'TDX'],
    ['19', 'TDX'],
  ])('tag ending %s → %s', (last, framework) => {
    expect(teeFrameworkOfTag(tag(last))).toBe(framework);
    // TEE is bit 0 (PoCo), whether or not the framework is served here.
    expect(isTeeTag(tag(last))).toBe((parseInt(last, 16) & 1) === 1);
  });

  it('missing or malformed tags are not TEE', () => {
    expect(isTeeTag(undefined)).toBe(false);
    expect(isTeeTag(null)).toBe(false);
    expect(isTeeTag('')).toBe(false);
    expect(isTeeTag('0xzz')).toBe(false);
  });
});

describe('callback and contribute-and-finalize eligibility', () => {
  const CALLBACK = '0x1234567890ABCDEF1234567890abcdef12345678';

  it('callback = non-empty and not the zero address (any case)', () => {
    expect(containsCallback(CALLBACK)).toBe(true);
    expect(containsCallback(ZERO_ADDRESS)).toBe(false);
    expect(containsCallback('0X0000000000000000000000000000000000000000')).toBe(false);
    expect(containsCallback('')).toBe(false);
    expect(containsCallback(null)).toBe(false);
    expect(containsCallback(undefined)).toBe(false);
  });

  it('eligible iff TEE ∧ trust = 1 ∧ no callback', () => {
    expect(isEligibleToContributeAndFinalize({ isTeeTask: true, trust: 1 })).toBe(true);
    expect(
      isEligibleToContributeAndFinalize({ isTeeTask: true, trust: 1n, callback: ZERO_ADDRESS }),
    ).toBe(true);
    expect(isEligibleToContributeAndFinalize({ isTeeTask: false, trust: 1 })).toBe(false);
    expect(isEligibleToContributeAndFinalize({ isTeeTask: true, trust: 0 })).toBe(false);
    expect(isEligibleToContributeAndFinalize({ isTeeTask: true, trust: 2 })).toBe(false);
    expect(
      isEligibleToContributeAndFinalize({ isTeeTask: true, trust: 1, callback: CALLBACK }),
    ).toBe(false);
  });
});
