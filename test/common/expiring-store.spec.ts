import { ExpiringStore } from '../../src/common/expiring-store.js';

describe('ExpiringStore', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('expires an entry a fixed time after creation; reads do not extend it', () => {
    const store = new ExpiringStore<string>(300_000, clock);
    let created = 0;
    const create = () => `v${++created}`;
    expect(store.getOrCreate('a', create)).toBe('v1');
    now += 299_999;
    expect(store.getOrCreate('a', create)).toBe('v1');
    now += 1;
    expect(store.get('a')).toBeUndefined();
    expect(store.getOrCreate('a', create)).toBe('v2');
  });

  it('deletes only while the stored value is unchanged', () => {
    const store = new ExpiringStore<string>(1000, clock);
    store.set('a', 'x');
    expect(store.deleteIf('a', 'y')).toBe(false);
    expect(store.get('a')).toBe('x');
    expect(store.deleteIf('a', 'x')).toBe(true);
    expect(store.get('a')).toBeUndefined();
  });

  it('drops expired entries on write and evicts the oldest beyond the bound', () => {
    const store = new ExpiringStore<number>(1000, clock, 3);
    store.set('a', 1);
    store.set('b', 2);
    now += 1000;
    store.set('c', 3);
    expect(store.size).toBe(1);
    store.set('d', 4);
    store.set('e', 5);
    store.set('f', 6);
    expect(store.size).toBe(3);
    expect(store.get('c')).toBeUndefined();
    expect(store.get('f')).toBe(6);
  });
});
