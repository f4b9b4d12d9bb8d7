import { Injectable } from '@nestjs/common';
import { KeyedMutex } from '../common/keyed-mutex.js';

/**
 * Per-task locks of the replicates: `writes` serializes every write to a task's replicates
 * document (status updates and new replicates share it and its optimistic version); `supply` is
 * tried without waiting by replicate supply, so two workers never race for the last slot and a
 * busy task is simply skipped.
 */
@Injectable()
export class ReplicateLocks {
  readonly writes = new KeyedMutex<string>();
  private readonly supplying = new Set<string>();

  /** Runs `work` if no other supply holds the task; returns undefined without running it otherwise. */
  async trySupply<T>(chainTaskId: string, work: () => Promise<T>): Promise<T | undefined> {
    if (this.supplying.has(chainTaskId)) return undefined;
    this.supplying.add(chainTaskId);
    try {
      return await work();
    } finally {
      this.supplying.delete(chainTaskId);
    }
  }
}
