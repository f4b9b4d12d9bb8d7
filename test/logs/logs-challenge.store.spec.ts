import {
  LOGS_CHALLENGE_LIFETIME_MS,
  LogsChallengeStore,
} from '../../src/logs/logs-challenge.store.js';

class ClockedStore extends LogsChallengeStore {
  time = 1_000_000;
  generated = 0;
  protected override now(): number {
    return this.time;
  }
  protected override generate(address: string): string {
    this.generated++;
    return `${address}#${this.generated}`;
  }
}

const ADDRESS = '0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf';

describe('LogsChallengeStore', () => {
  it('gets or creates one challenge per checksummed address, shared by every casing', () => {
    const store = new ClockedStore();
    const first = store.getOrCreate(ADDRESS.toLowerCase());
    expect(first).toBe(`${ADDRESS}#1`);
    expect(store.getOrCreate(ADDRESS)).toBe(first);
    expect(store.getOrCreate('0x' + ADDRESS.slice(2).toUpperCase())).toBe(first);
    expect(store.getOrCreate('0x0000000000000000000000000000000000000001')).not.toBe(first);
    expect(store.size).toBe(2);
  });

  it('keeps a challenge (reusable, not consumed) for 60 minutes, then issues a new one', () => {
    const store = new ClockedStore();
    const first = store.getOrCreate(ADDRESS);
    store.time += LOGS_CHALLENGE_LIFETIME_MS - 1;
    expect(store.getOrCreate(ADDRESS)).toBe(first);
    store.time += 1;
    const second = store.getOrCreate(ADDRESS);
    expect(second).not.toBe(first);
    expect(store.getOrCreate(ADDRESS)).toBe(second);
  });

  it('sweeps expired challenges of other addresses', () => {
    const store = new ClockedStore();
    store.getOrCreate('0x0000000000000000000000000000000000000001');
    store.getOrCreate('0x0000000000000000000000000000000000000002');
    store.time += LOGS_CHALLENGE_LIFETIME_MS + 1;
    store.getOrCreate(ADDRESS);
    expect(store.size).toBe(1);
  });

  it('refuses what is not an address', () => {
    expect(LogsChallengeStore.keyOf('0x42')).toBeUndefined();
    expect(LogsChallengeStore.keyOf(ADDRESS.toLowerCase())).toBe(ADDRESS);
    expect(() => new ClockedStore().getOrCreate('nope')).toThrow('not an address');
  });

  it('generates Base64 challenges of 32 bytes by default', () => {
    const challenge = new LogsChallengeStore().getOrCreate(ADDRESS);
    expect(Buffer.from(challenge, 'base64')).toHaveLength(32);
    expect(challenge.startsWith('0x')).toBe(false);
  });
});
