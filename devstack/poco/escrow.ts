// Staking RLC into the PoCo escrow. Amounts are in nRLC (9 decimals) in both modes.
import type { LocalAccount } from 'viem';
import { devRoles } from '../chain/accounts.js';
import { sendContractTx } from '../chain/tx.js';
import { nativeHubAbi, rlcAbi } from './abi.js';
import type { PocoContext } from './context.js';
import { WEI_PER_NRLC } from './deployment.js';

/**
 * Adds `amount` nRLC to the account's escrow stake. Token mode: the deployer (who holds the RLC
 * supply) sends the RLC, then the account deposits it in one transaction with approveAndCall.
 * Native mode: the account sends amount × 1e9 wei to deposit().
 */
export async function deposit(
  ctx: PocoContext,
  account: LocalAccount,
  amount: bigint,
): Promise<void> {
  if (amount <= 0n) return;
  const { hub, rlc } = ctx.deployment;
  if (ctx.deployment.asset === 'native') {
    await sendContractTx(ctx.clients, account, {
      address: hub,
      abi: nativeHubAbi,
      functionName: 'deposit',
      value: amount * WEI_PER_NRLC,
    });
    return;
  }
  await sendContractTx(ctx.clients, devRoles().deployer, {
    address: rlc,
    abi: rlcAbi,
    functionName: 'transfer',
    args: [account.address, amount],
  });
  await sendContractTx(ctx.clients, account, {
    address: rlc,
    abi: rlcAbi,
    functionName: 'approveAndCall',
    args: [hub, amount, '0x'],
  });
}
