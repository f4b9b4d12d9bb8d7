import { KeyedMutex } from '../../src/common/keyed-mutex.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedMutex', () => {
  it('runs calls with one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const events: string[] = [];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      [1, 2, 3, 4].map((i) =>
        mutex.run('w', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          events.push(`start ${i}`);
          await tick();
          events.push(`end ${i}`);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(events).toEqual([
      'start 1',
      'end 1',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
      'start 4',
      'end 4',
    ]);
    expect(mutex.size).toBe(0);
  });

  it('runs different keys concurrently', async () => {
    const mutex = new KeyedMutex();
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      ['a', 'b', 'c'].map((key) =>
        mutex.run(key, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await tick();
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(3);
  });

  it('releases the key when the holder throws, and returns values', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('k', () => 42)).resolves.toBe(42);
    expect(mutex.size).toBe(0);
  });
});
