// Chain-time and state helpers for tests on a Hardhat node (evm_* / hardhat_* methods).
import type { Block, Hex } from 'viem';
import type { ChainClients } from './clients.js';

export interface ChainControl {
  /** Moves chain time forward and mines one block carrying the new time. */
  increaseTime(seconds: number | bigint): Promise<Block>;
  /** Mines `blocks` empty blocks (default 1). */
  mine(blocks?: number): Promise<void>;
  /** The next block will carry exactly this timestamp (seconds); mines it when `mine` is true. */
  setNextBlockTimestamp(timestamp: number | bigint, mine?: boolean): Promise<void>;
  /** Snapshot id of the current state. */
  snapshot(): Promise<Hex>;
  /**
   * Back to the state of `snapshot()`. Hardhat consumes the id: take a new snapshot to revert
   * to the same state again. Throws if the node refused (unknown or already used id).
   */
  revert(id: Hex): Promise<void>;
  latestBlock(): Promise<Block>;
  /** Timestamp (seconds) of the latest block. */
  now(): Promise<bigint>;
}

export function chainControl(clients: ChainClients): ChainControl {
  const { testClient, publicClient } = clients;
  const latestBlock = () => publicClient.getBlock({ blockTag: 'latest' });
  return {
    async increaseTime(seconds) {
      await testClient.increaseTime({ seconds: Number(seconds) });
      await testClient.mine({ blocks: 1 });
      return latestBlock();
    },
    async mine(blocks = 1) {
      await testClient.mine({ blocks });
    },
    async setNextBlockTimestamp(timestamp, mine = false) {
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(timestamp) });
      if (mine) await testClient.mine({ blocks: 1 });
    },
    snapshot: () => testClient.snapshot(),
    async revert(id) {
      // viem's revert() ignores the node's answer; a false one means nothing was reverted
      const reverted: unknown = await testClient.request({ method: 'evm_revert', params: [id] });
      if (reverted !== true) throw new Error(`evm_revert ${id} refused (unknown or used snapshot)`);
    },
    latestBlock,
    async now() {
      return (await latestBlock()).timestamp;
    },
  };
}
