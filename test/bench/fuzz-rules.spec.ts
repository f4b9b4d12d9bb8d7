import { countsSince, withoutBanner } from '../../bench/support/fuzz-rules.js';

describe('withoutBanner', () => {
  it('drops the pytest-style banner around schemathesis lines and keeps the words', () => {
    expect(
      withoutBanner(
        '============================= 3 warnings in 60.00s =============================',
      ),
    ).toBe('-- schemathesis: 3 warnings in 60.00s');
    expect(withoutBanner('=================================== SUMMARY ====')).toBe(
      '-- schemathesis: SUMMARY',
    );
  });

  it('leaves every other line as it is', () => {
    for (const line of ['  8750 generated, 8750 passed, 1314 skipped', 'a == b', '== fuzz:api', ''])
      expect(withoutBanner(line)).toBe(line);
  });
});

describe('countsSince', () => {
  it('counts the requests answered after the first reading only', () => {
    const before = new Map([[200, 5]]);
    const after = new Map([
      [200, 8],
      [404, 2],
    ]);
    expect([...countsSince(before, after)]).toEqual([
      [200, 3],
      [404, 2],
    ]);
  });
});
