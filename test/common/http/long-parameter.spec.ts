import { parseLongParameter } from '../../../src/common/http/long-parameter.js';

describe('parseLongParameter (a Java long request parameter, as Spring converts it)', () => {
  it.each([
    ['0', 0],
    ['28511423', 28511423],
    ['-3', -3],
    ['+5', 5],
    [' 12 ', 12],
    ['007', 7],
    ['0x10', 16],
    ['#ff', 255],
    ['-0X1', -1],
  ])('%j → %d', (raw, expected) => {
    expect(parseLongParameter(raw)).toBe(expected);
  });

  it.each(['', ' ', 'abc', '1.5', '1.0', '1e3', '12abc', '0x', '--1', '9007199254740993'])(
    '%j is not a long',
    (raw) => {
      expect(parseLongParameter(raw)).toBeUndefined();
    },
  );

  it('refuses what is not a single string (absent, repeated)', () => {
    expect(parseLongParameter(undefined)).toBeUndefined();
    expect(parseLongParameter(['1', '2'])).toBeUndefined();
    expect(parseLongParameter(12)).toBeUndefined();
  });
});
