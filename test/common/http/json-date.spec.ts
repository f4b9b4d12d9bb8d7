import { jsonDate } from '../../../src/common/http/json-date.js';

describe('jsonDate', () => {
  it('writes ISO-8601 with milliseconds and a +00:00 offset', () => {
    expect(jsonDate(new Date('2024-06-19T08:15:30.123Z'))).toBe('2024-06-19T08:15:30.123+00:00');
    expect(jsonDate(new Date('2024-06-19T08:15:30Z'))).toBe('2024-06-19T08:15:30.000+00:00');
    expect(jsonDate(0)).toBe('1970-01-01T00:00:00.000+00:00');
    expect(jsonDate('2024-06-19T08:15:30.123Z')).toBe('2024-06-19T08:15:30.123+00:00');
  });

  it('gives null for a missing or invalid date', () => {
    expect(jsonDate(null)).toBeNull();
    expect(jsonDate(undefined)).toBeNull();
    expect(jsonDate(new Date('nope'))).toBeNull();
  });
});
