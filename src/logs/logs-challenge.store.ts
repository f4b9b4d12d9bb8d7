import { Injectable } from '@nestjs/common';
import { getAddress, isAddress } from 'viem';
import { newLogsChallenge } from './logs-challenge.js';

/** A challenge lives 60 minutes from its creation (worker-api.md §2.8). */
export const LOGS_CHALLENGE_LIFETIME_MS = 60 * 60 * 1000;
/** Expired entries are swept at most this often, on access (no timer needed). */
const SWEEP_PERIOD_MS = 60 * 1000;

interface Entry {
  challenge: string;
  expiresAt: number;
}

/**
 * EIP-712 logs challenges, keyed by the checksummed address so that every casing of an address
 * shares one challenge. Get-or-create; a challenge is reusable until it expires (never consumed).
 */
@Injectable()
export class LogsChallengeStore {
  private readonly entries = new Map<string, Entry>();
  private nextSweep = 0;

  /** Undefined when `address` is not a 20-byte hex address. */
  static keyOf(address: string): string | undefined {
    return isAddress(address, { strict: false }) ? getAddress(address) : undefined;
  }

  /** The current challenge of `address`, created when it has none (or an expired one). */
  getOrCreate(address: string): string {
    const key = LogsChallengeStore.keyOf(address);
    if (!key) throw new Error(`not an address: ${address}`);
    const now = this.now();
    this.sweep(now);
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > now) return entry.challenge;
    const challenge = this.generate(key);
    this.entries.set(key, { challenge, expiresAt: now + LOGS_CHALLENGE_LIFETIME_MS });
    return challenge;
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

  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_PERIOD_MS;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
