/**
 * A request parameter declared `long` in the Java scheduler, converted as Spring does
 * (NumberUtils.parseNumber): surrounding blanks ignored, an optional sign, decimal digits, or a
 * hexadecimal number (`0x`, `0X` or `#`). Anything else (empty, `1.5`, `1.0`, `1e3`, a repeated
 * parameter) is not a number: undefined, which the validation turns into a 400 (worker-api.md
 * §0.4). Values beyond the safe integer range are refused too rather than rounded.
 */
export function parseLongParameter(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const hex = /^([+-]?)(?:0x|0X|#)([0-9a-fA-F]+)$/.exec(text);
  let parsed: number;
  if (hex) parsed = (hex[1] === '-' ? -1 : 1) * parseInt(hex[2], 16);
  else if (/^[+-]?\d+$/.test(text)) parsed = Number(text);
  else return undefined;
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}
