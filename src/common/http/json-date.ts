/**
 * A date as the Java scheduler writes it in JSON: ISO-8601 with milliseconds and a numeric UTC
 * offset (`2024-06-19T08:15:30.123+00:00`). Null for a missing date.
 */
export function jsonDate(date: Date | string | number | null | undefined): string | null {
  if (date === null || date === undefined) return null;
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/Z$/, '+00:00');
}
