import { chainTaskId } from '../../src/chain/task-id.js';

// task-lifecycle.md §1.
const DEAL = '0xd82223e5feff6720792ffed1665e980da95e5d32b177332013eaba8edc07f31c';
const TASK_0 = '0x65bc5e94ed1486b940bd6cc0013c418efad58a0a52a3d08cee89faaa21970426';

describe('chainTaskId', () => {
  it('matches the task-lifecycle.md §1 vector (index 0)', () => {
    expect(chainTaskId(DEAL, 0)).toBe(TASK_0);
    expect(chainTaskId(DEAL, 0n)).toBe(TASK_0);
  });

  it('ignores the letter case of the deal id and answers lowercase', () => {
    const upper = `0x${DEAL.slice(2).toUpperCase()}` as const;
    expect(chainTaskId(upper, 0)).toBe(TASK_0);
  });

  it('depends on the index (number and bigint agree)', () => {
    const t1 = chainTaskId(DEAL, 1);
    expect(t1).not.toBe(TASK_0);
    expect(chainTaskId(DEAL, 1n)).toBe(t1);
    expect(t1).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('refuses a deal id that is not 32 bytes and a bad index', () => {
    expect(() => chainTaskId('0x1234', 0)).toThrow();
    expect(() => chainTaskId(`${DEAL}00`, 0)).toThrow();
    expect(() => chainTaskId(DEAL, -1)).toThrow();
    expect(() => chainTaskId(DEAL, 1.5)).toThrow();
    expect(() => chainTaskId(DEAL, 2n ** 256n)).toThrow();
  });
});
