import { Injectable } from '@nestjs/common';
import { getAddress, isAddress } from 'viem';
import { ExpiringStore } from '../common/expiring-store.js';
import { newLogsChallenge } from './logs-challenge.js';

/** A challenge lives 60 minutes from its creation (worker-api.md §2.8). */
export const LOGS_CHALLENGE_LIFETIME_MS = 60 * 60 * 1000;
/** Challenges held at once; past it the least recently used goes (anyone may ask for one). */
export const LOGS_CHALLENGES_MAX = 100_000;

/**
 * EIP-712 logs challenges, keyed by the checksummed address so that every casing of an address
 * shares one challenge. Get-or-create; a challenge is reusable until it expires (never consumed).
 */
@Injectable()
export class LogsChallengeStore {
  private readonly entries = new ExpiringStore<string>(
    LOGS_CHALLENGE_LIFETIME_MS,
    () => this.now(),
    LOGS_CHALLENGES_MAX,
  );

  /** Undefined when `address` is not a 20-byte hex address. */
  static keyOf(address: string): string | undefined {
    return isAddress(address, { strict: false }) ? getAddress(address) : undefined;
  }

  /** The current challenge of `address`, created when it has none (or an expired one). */
  getOrCreate(address: string): string {
    const key = LogsChallengeStore.keyOf(address);
    if (!key) throw new Error(`not an address: ${address}`);
    return this.entries.getOrCreate(key, () => this.generate(key));
  }

  get size(): number {
    return this.entries.size;
  }

  /** A fresh challenge text for `address` (checksummed): Base64 of 32 random bytes, never starting with `0x`. */
  protected generate(_address: string): string {
    return newLogsChallenge();
  }

  protected now(): number {
    return Date.now();
  }
}
