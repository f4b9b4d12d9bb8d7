import { bytesToHex } from 'viem';
import { lenientHexToBytes } from '../../src/common/lenient-hex.js';

const hex = (text: string) => bytesToHex(lenientHexToBytes(text));

describe('lenientHexToBytes (worker-api.md §2.2)', () => {
  it('decodes the §13 vector "challenge" to 0c fa ef df fe', () => {
    expect(hex('challenge')).toBe('0x0cfaefdffe');
  });

  it('decodes plain hex with or without a lowercase 0x prefix, any letter case', () => {
    expect(hex('0xdeadBEEF')).toBe('0xdeadbeef');
    expect(hex('DEADbeef')).toBe('0xdeadbeef');
    expect(hex('0x00ff')).toBe('0x00ff');
  });

  it('gives zero bytes for empty input and for a bare prefix', () => {
    expect(lenientHexToBytes('')).toHaveLength(0);
    expect(lenientHexToBytes('0x')).toHaveLength(0);
  });

  it('only strips a lowercase x prefix: "0X" is decoded as data', () => {
    // ('0','X') -> (0 << 4) + -1 = -1 -> 0xff
    expect(hex('0X12')).toBe('0xff12');
  });

  it('handles odd length: the first byte is the lone first digit', () => {
    expect(hex('abc')).toBe('0x0abc');
    expect(hex('0xf')).toBe('0x0f');
    // A lone non-hex first char gives -1 & 0xff.
    expect(hex('z12')).toBe('0xff12');
  });

  it('applies the signed pair arithmetic for non-hex characters', () => {
    expect(hex('zz')).toBe('0xef'); // (-1 << 4) + -1 = -17
    expect(hex('z7')).toBe('0xf7'); // (-16 + 7)
    expect(hex('3z')).toBe('0x2f'); // 48 - 1
    expect(hex('0z')).toBe('0xff'); // 0 - 1
  });

  it('treats only a leading prefix as such', () => {
    expect(hex('120x')).toBe('0x12ff');
  });

  it('accepts what Java Character.digit accepts: Unicode decimal digits and fullwidth hex letters', () => {
    expect(hex('\u0663\u0664')).toBe('0x34'); // Arabic-Indic 3 and 4
    expect(hex('\uff19\uff41')).toBe('0x9a'); // fullwidth 9 and a
    expect(hex('\uff26\uff10')).toBe('0xf0'); // fullwidth F and 0
    expect(hex('\uff47\u00e9')).toBe('0xef'); // fullwidth g and é are not digits
  });

  it('decodes each UTF-16 unit separately (a surrogate pair is two non-digits)', () => {
    expect(hex('\u{1F600}')).toBe('0xef');
  });
});
