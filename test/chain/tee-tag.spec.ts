import {
  isTeeTag,
  TEE_GRAMINE_ONLY_TAG,
  TEE_SCONE_ONLY_TAG,
  TEE_TDX_ONLY_TAG,
  teeFrameworkOfTag,
  teeTechnologyOf,
  unservedTeeTagReason,
} from '../../src/chain/tee-tag.js';

const tag = (lastHexDigit: string, prefix = '0'.repeat(63)) => `0x${prefix}${lastHexDigit}`;

describe('teeFrameworkOfTag (task-lifecycle.md §10)', () => {
  it('reads the constants', () => {
    expect(TEE_SCONE_ONLY_TAG).toBe(
      '0x0000000000000000000000000000000000000000000000000000000000000003',
    );
    expect(TEE_GRAMINE_ONLY_TAG).toBe(
      '0x0000000000000000000000000000000000000000000000000000000000000005',
    );
    expect(teeFrameworkOfTag(TEE_SCONE_ONLY_TAG)).toBe('SCONE');
    expect(teeFrameworkOfTag(TEE_GRAMINE_ONLY_TAG)).toBe('GRAMINE');
    expect(teeFrameworkOfTag(TEE_TDX_ONLY_TAG)).toBe('TDX');
  });

  it('uses the low nibble only: other bits of the tag do not matter', () => {
    expect(teeFrameworkOfTag(tag('3', 'f'.repeat(62) + '1'))).toBe('SCONE');
    expect(teeFrameworkOfTag(tag('5', 'a'.repeat(62) + 'f'))).toBe('GRAMINE');
    expect(teeFrameworkOfTag(`0x${'0'.repeat(60)}0103`)).toBe('SCONE');
    expect(teeFrameworkOfTag(tag('9', 'f'.repeat(63)))).toBe('TDX');
  });

  it.each(['0', '1', '2', '4', '6', '7', '8', 'a', 'b', 'c', 'd', 'e', 'f'])(
    'low nibble 0x%s is no framework served here',
    (digit) => {
      expect(teeFrameworkOfTag(tag(digit))).toBeUndefined();
    },
  );

  it.each(['1', '3', '5', '7', '9', 'b', 'd', 'f'])('low nibble 0x%s is TEE (bit 0, PoCo)', (d) => {
    expect(isTeeTag(tag(d))).toBe(true);
  });

  it.each(['0', '2', '4', '6', '8', 'a', 'c', 'e'])('low nibble 0x%s is standard', (d) => {
    expect(isTeeTag(tag(d))).toBe(false);
    expect(unservedTeeTagReason(tag(d))).toBeUndefined();
  });

  it('serves TDX (the SDK 9 default tag, iexec-core 9.1); names the bits of an unknown TEE tag', () => {
    expect(TEE_TDX_ONLY_TAG).toBe(tag('9'));
    expect(unservedTeeTagReason(TEE_TDX_ONLY_TAG)).toBeUndefined();
    expect(unservedTeeTagReason(tag('1'))).toBe(
      `TEE tag ${tag('1')} asks for an unknown TEE framework (low bits 0b0001), which this scheduler does not serve (Scone, Gramine and TDX only)`,
    );
    expect(unservedTeeTagReason(tag('7'))).toContain('(low bits 0b0111)');
    expect(unservedTeeTagReason(TEE_SCONE_ONLY_TAG)).toBeUndefined();
    expect(unservedTeeTagReason(TEE_GRAMINE_ONLY_TAG)).toBeUndefined();
  });

  it('treats 0b0111 (both bit patterns set) as neither framework', () => {
    expect(teeFrameworkOfTag(tag('7'))).toBeUndefined();
  });

  it('is case-insensitive and tolerates short tags', () => {
    expect(teeFrameworkOfTag(`0x${'0'.repeat(62)}F3`)).toBe('SCONE');
    expect(teeFrameworkOfTag('0x5')).toBe('GRAMINE');
  });

  it('answers not TEE for empty or missing tags', () => {
    for (const t of ['', '0x', null, undefined]) {
      expect(teeFrameworkOfTag(t)).toBeUndefined();
      expect(isTeeTag(t)).toBe(false);
    }
  });

  it('isTeeTag is true for the three frameworks', () => {
    expect(isTeeTag(TEE_SCONE_ONLY_TAG)).toBe(true);
    expect(isTeeTag(TEE_GRAMINE_ONLY_TAG)).toBe(true);
    expect(isTeeTag(TEE_TDX_ONLY_TAG)).toBe(true);
  });

  it('Scone and Gramine run on SGX, TDX on TDX', () => {
    expect(teeTechnologyOf('SCONE')).toBe('SGX');
    expect(teeTechnologyOf('GRAMINE')).toBe('SGX');
    expect(teeTechnologyOf('TDX')).toBe('TDX');
  });
});
