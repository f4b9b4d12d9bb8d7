import { ValidationOptions, registerDecorator } from 'class-validator';
import { isActuatorId } from './actuator-ids.js';

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function rule(
  name: string,
  message: string,
  test: (value: unknown) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message, ...options },
      validator: { validate: test },
    });
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

export const IsTcpPort = () =>
  rule(
    'isTcpPort',
    'expected a TCP port (integer 1-65535)',
    (v) => isInt(v) && v >= 1 && v <= 65535,
  );

export const IsPositiveInt = (what = 'a positive integer') =>
  rule('isPositiveInt', `expected ${what}`, (v) => isInt(v) && v > 0);

export const IsIntBetween = (min: number, max: number, what = 'an integer') =>
  rule(
    'isIntBetween',
    `expected ${what} between ${min} and ${max}`,
    (v) => isInt(v) && v >= min && v <= max,
  );

export const IsNonNegativeInt = (what = 'an integer >= 0') =>
  rule('isNonNegativeInt', `expected ${what}`, (v) => isInt(v) && v >= 0);

export const IsNonNegativeBigInt = (what = 'an integer >= 0') =>
  rule('isNonNegativeBigInt', `expected ${what}`, (v) => typeof v === 'bigint' && v >= 0n);

export const IsPositiveBigInt = (what = 'an integer > 0') =>
  rule('isPositiveBigInt', `expected ${what}`, (v) => typeof v === 'bigint' && v > 0n);

export const IsHttpUrl = () =>
  rule('isHttpUrl', 'expected an http(s) URL such as http://host:port', (v) => {
    if (typeof v !== 'string') return false;
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  });

export const IsOptionalHttpUrl = () =>
  rule('isOptionalHttpUrl', 'expected an http(s) URL such as http://host:port', (v) => {
    if (v === undefined || v === '') return true;
    try {
      const url = new URL(String(v));
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  });

export const IsMongoUrl = () =>
  rule(
    'isMongoUrl',
    'expected a mongodb:// or mongodb+srv:// connection string',
    (v) =>
      v === undefined ||
      v === '' ||
      // a host (list) after the optional credentials
      (typeof v === 'string' && /^mongodb(\+srv)?:\/\/([^/?#]*@)?[^/?#@]+($|[/?#])/.test(v)),
  );

export const IsHttpProtocol = () =>
  rule('isHttpProtocol', 'expected http or https', (v) => v === 'http' || v === 'https');

export const IsHostname = () =>
  rule(
    'isHostname',
    'expected a host name or IP address (no scheme, no port)',
    (v) => typeof v === 'string' && /^[A-Za-z0-9._-]+$|^\[[0-9a-fA-F:]+\]$/.test(v),
  );

export const IsEthAddress = () =>
  rule(
    'isEthAddress',
    'expected an address: 0x followed by 40 hex characters',
    (v) => typeof v === 'string' && ADDRESS.test(v),
  );

export const IsOptionalEthAddress = () =>
  rule(
    'isOptionalEthAddress',
    'expected an address: 0x followed by 40 hex characters',
    (v) => v === undefined || v === '' || (typeof v === 'string' && ADDRESS.test(v)),
  );

export const IsAddressList = () =>
  rule(
    'isAddressList',
    'expected a comma-separated list of addresses (0x followed by 40 hex characters each)',
    (v) => Array.isArray(v) && v.every((a) => typeof a === 'string' && ADDRESS.test(a)),
  );

export const IsOneOf = (values: readonly string[], caseInsensitive = false) =>
  rule(
    'isOneOf',
    `expected one of: ${values.join(', ')}`,
    (v) =>
      typeof v === 'string' &&
      (caseInsensitive
        ? values.map((x) => x.toLowerCase()).includes(v.toLowerCase())
        : values.includes(v)),
  );

/** Spring Boot's exposure list: `*` or endpoint ids (letters, digits, dots, dashes), maybe none. */
export const IsActuatorList = () =>
  rule(
    'isActuatorList',
    'expected a comma-separated list of actuator ids (letters, digits, dots, dashes) or *',
    (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && isActuatorId(x)),
  );

export const IsPositiveNumber = () =>
  rule(
    'isPositiveNumber',
    'expected a number > 0',
    (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
  );

export const IsNonEmptyString = () =>
  rule(
    'isNonEmptyString',
    'expected a non-empty value',
    (v) => typeof v === 'string' && v.trim() !== '',
  );

export const IsAnyString = () =>
  rule('isAnyString', 'expected a text value', (v) => typeof v === 'string');

/** Empty (feature off) or at least `min` characters (a secret that resists guessing). */
export const IsEmptyOrAtLeast = (min: number) =>
  rule(
    'isEmptyOrAtLeast',
    `expected empty (disabled) or at least ${min} characters`,
    (v) => typeof v === 'string' && (v === '' || v.length >= min),
  );

export const IsOptionalBoolean = () =>
  rule(
    'isOptionalBoolean',
    'expected true or false',
    (v) => v === undefined || typeof v === 'boolean',
  );

export const IsOptionalPositiveInt = (what = 'a positive integer') =>
  rule('isOptionalPositiveInt', `expected ${what}`, (v) => v === undefined || (isInt(v) && v > 0));

export const IsOptionalDuration = () =>
  rule(
    'isOptionalDuration',
    'expected a duration: seconds (e.g. 5 or 0.5) or ISO-8601 (e.g. PT5S)',
    (v) =>
      v === undefined || v === '' || (typeof v === 'string' && parseDurationMs(v) !== undefined),
  );

/** Parses a block time: a number of seconds or an ISO-8601 duration like PT5S / PT0.5S / PT1M. */
export function parseDurationMs(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const m = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/i.exec(t);
  if (!m || (!m[1] && !m[2] && !m[3])) return undefined;
  const [h, min, s] = [m[1], m[2], m[3]].map((x) => (x ? Number(x) : 0));
  return Math.round((h * 3600 + min * 60 + s) * 1000);
}

const SPRING_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A Spring Boot `Duration` property: `30s`, `500ms`, `1m`, a bare number of ms, or `PT30S`. */
export function parseSpringDurationMs(text: string): number | undefined {
  const t = text.trim();
  const simple = /^(\d+)(ns|us|ms|s|m|h|d)?$/i.exec(t);
  if (simple)
    return Math.round(Number(simple[1]) * SPRING_UNITS_MS[(simple[2] ?? 'ms').toLowerCase()]);
  return /^PT/i.test(t) ? parseDurationMs(t) : undefined;
}

export const IsPositiveSpringDuration = () =>
  rule(
    'isPositiveSpringDuration',
    'expected a positive duration such as 30s, 500ms, 1m, PT30S, or a number of milliseconds',
    (v) => typeof v === 'string' && (parseSpringDurationMs(v) ?? 0) > 0,
  );

export const IsSpringDurationAtLeast = (minMs: number) =>
  rule(
    'isSpringDurationAtLeast',
    `expected a duration of at least ${minMs}ms such as 5s, 1500ms, PT5S, or a number of milliseconds`,
    (v) => typeof v === 'string' && (parseSpringDurationMs(v) ?? 0) >= minMs,
  );
