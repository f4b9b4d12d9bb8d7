import { jest } from '@jest/globals';
import { createAppLogger } from '../../../src/common/logging/app-logger.js';

/** Everything the logger writes to stdout and stderr while `run` runs. */
function written(run: () => void): string {
  let out = '';
  const capture = (chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    run();
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return out;
}

describe('the application logger', () => {
  it('writes one JSON object per line: time, level, context, message, and the fields', () => {
    const logger = createAppLogger('INFO', 'json');
    const out = written(() => {
      logger.log('Task 0x12: RECEIVED → INITIALIZING', { chainTaskId: '0x12' }, 'TaskStateWriter');
      logger.error('Worker lost', { walletAddress: '0xab', chainTaskId: '0x12' }, 'Detector');
    });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(Object.keys(first)).toEqual(['time', 'level', 'message', 'context', 'chainTaskId']);
    expect(first).toMatchObject({
      level: 'INFO',
      context: 'TaskStateWriter',
      message: 'Task 0x12: RECEIVED → INITIALIZING',
      chainTaskId: '0x12',
    });
    expect(new Date(first.time as string).toISOString()).toBe(first.time);
    expect(second).toMatchObject({ level: 'ERROR', walletAddress: '0xab', chainTaskId: '0x12' });
  });

  it('keeps the fields of an error line that also carries a stack', () => {
    const logger = createAppLogger('INFO', 'json');
    const stack = new Error('boom').stack;
    const out = written(() =>
      logger.error('Update of task 0x12 failed: boom', { chainTaskId: '0x12' }, stack),
    );
    const record = JSON.parse(out.trimEnd().split('\n')[0]) as Record<string, unknown>;
    expect(record).toMatchObject({
      level: 'ERROR',
      message: 'Update of task 0x12 failed: boom',
      chainTaskId: '0x12',
    });
    expect(JSON.stringify(record)).toContain('at ');
  });

  it('honours the level: DEBUG lines only at DEBUG or TRACE, nothing at OFF', () => {
    const line = (level: 'INFO' | 'DEBUG' | 'OFF') =>
      written(() => {
        const logger = createAppLogger(level, 'json');
        logger.debug?.('a debug line', 'X');
        logger.warn('a warning', 'X');
      });
    expect(line('INFO')).not.toContain('a debug line');
    expect(line('INFO')).toContain('a warning');
    expect(line('DEBUG')).toContain('a debug line');
    expect(line('OFF')).toBe('');
  });

  it('writes readable lines without ANSI colours when not on a terminal', () => {
    const out = written(() =>
      createAppLogger('INFO', 'text', false).log('hello', { chainTaskId: '0x12' }, 'Ctx'),
    );
    expect(out).toMatch(/ LOG \[Ctx\] hello \{ chainTaskId: '0x12' \}/);
    expect(out).not.toContain('\u001b[');
    expect(() => JSON.parse(out)).toThrow();
  });

  it('never colours JSON lines', () => {
    const out = written(() => createAppLogger('INFO', 'json', true).warn('w', 'Ctx'));
    expect(out).not.toContain('\u001b[');
  });
});
