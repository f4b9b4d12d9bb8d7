/**
 * Bit-for-bit port of the Java hex decoder the worker applies before signing (and the reference
 * applies before verifying): worker-api.md §2.2. It never fails: non-hex characters count as -1
 * and the pair arithmetic is done on signed integers, then masked to a byte.
 */
export function lenientHexToBytes(text: string): Uint8Array {
  // Only a lowercase `0x` is a prefix; `0X` is decoded as data.
  const hex = text.startsWith('0x') ? text.slice(2) : text;
  const n = hex.length;
  if (n === 0) return new Uint8Array(0);
  const out = new Uint8Array(Math.ceil(n / 2));
  let start = 0;
  let o = 0;
  if (n % 2 === 1) {
    out[o++] = digit(hex.charCodeAt(0)) & 0xff;
    start = 1;
  }
  for (let i = start; i < n; i += 2) {
    out[o++] = ((digit(hex.charCodeAt(i)) << 4) + digit(hex.charCodeAt(i + 1))) & 0xff;
  }
  return out;
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

function isDecimalDigit(code: number): boolean {
  return code >= 0 && DECIMAL_DIGIT.test(String.fromCharCode(code));
}

/**
 * Java `Character.digit(c, 16)` on one UTF-16 unit: ASCII and fullwidth hex letters, and any
 * Unicode decimal digit (Java accepts e.g. Arabic-Indic or fullwidth digits).
 */
function digit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x61 + 10;
  if (code >= 0x41 && code <= 0x46) return code - 0x41 + 10;
  if (code < 0x80) return -1;
  if (code >= 0xff21 && code <= 0xff26) return code - 0xff21 + 10;
  if (code >= 0xff41 && code <= 0xff46) return code - 0xff41 + 10;
  if (!isDecimalDigit(code)) return -1;
  // Unicode lays decimal digits out in contiguous runs of ten, 0 to 9.
  let preceding = 0;
  while (isDecimalDigit(code - preceding - 1)) preceding++;
  return preceding % 10;
}
