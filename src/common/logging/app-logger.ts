import { ConsoleLogger, LogLevel as NestLogLevel, LoggerService } from '@nestjs/common';
import type { LogFormat, LogLevel } from '../../config/app-config.js';

const NEST_LEVELS: Record<LogLevel, NestLogLevel[]> = {
  TRACE: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  DEBUG: ['debug', 'log', 'warn', 'error', 'fatal'],
  INFO: ['log', 'warn', 'error', 'fatal'],
  WARN: ['warn', 'error', 'fatal'],
  ERROR: ['error', 'fatal'],
  OFF: [],
};

/** Nest levels enabled at an IEXEC_LOG_LEVEL. */
export function logLevels(level: LogLevel): NestLogLevel[] {
  return NEST_LEVELS[level];
}

/** IEXEC_LOG_LEVEL's names in the JSON `level` field, so a filter reads like the setting. */
const LEVEL_NAMES: Record<string, string> = {
  verbose: 'TRACE',
  debug: 'DEBUG',
  log: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'FATAL',
};

/**
 * Nest's JSON console logger, one object per line: `time` (ISO-8601), `level`, `context`,
 * `message`, then the fields a line passes as a plain object (`{ chainTaskId }`) at the root.
 */
class JsonConsoleLogger extends ConsoleLogger {
  protected override stringifyJsonLogObject(logObject: Record<string, unknown>): string {
    const { level, timestamp, pid: _pid, ...rest } = logObject;
    return super.stringifyJsonLogObject({
      time: new Date(timestamp as number).toISOString(),
      level: LEVEL_NAMES[level as string] ?? level,
      ...rest,
    });
  }
}

/**
 * The scheduler's logger: JSON lines (production) or Nest's readable lines (`npm run dev`),
 * coloured only on a terminal. Lines about one task, deal or worker pass it as a field:
 * `logger.warn('…', { chainTaskId })`.
 */
export function createAppLogger(
  level: LogLevel,
  format: LogFormat,
  isTerminal = process.stdout.isTTY === true,
): LoggerService {
  const levels = logLevels(level);
  if (format === 'json')
    return new JsonConsoleLogger({ json: true, flattenParams: true, logLevels: levels });
  return new ConsoleLogger({ prefix: 'iexec-core', logLevels: levels, colors: isTerminal });
}
