import { readFile } from 'node:fs/promises';
import { Logger } from '@nestjs/common';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  type Chain,
  type LocalAccount,
  type PublicClient,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { AppConfig } from '../config/app-config.js';
import { ChainConfig, parseChainConfig } from './chain-config.js';
import { deriveJwtSecret, workerJwtLabel } from '../worker/auth/jwt.js';
import { decryptKeystore } from './keystore.js';
import { workerpoolAbi } from './poco-abi.js';
import { meteredFetch, type RpcCallObserver } from './metered-fetch.js';
import { nodeHttpFetch } from './node-http-fetch.js';
import { hiddenNodeUrl } from './node-url.js';
import { originOf } from '../common/redact.js';

/** Gas a scheduler transaction may use at most; with the gas price cap it sets the balance threshold. */
export const GAS_LIMIT_CAP = 1_000_000n;

export class ChainBootError extends Error {
  override name = 'ChainBootError';
}

const CONFIG_SERVER_ATTEMPTS = 5;
const RPC_TIMEOUT_MS = 10_000;

/**
 * Everything chain-related the scheduler needs, built once at boot: the wallet, the chain
 * parameters and the viem clients. Boot fails here with a message naming the setting at fault.
 */
export class ChainContext {
  constructor(
    readonly account: LocalAccount,
    readonly chainConfig: ChainConfig,
    readonly chain: Chain,
    readonly publicClient: PublicClient,
    readonly walletClient: WalletClient,
    readonly poolAddress: `0x${string}`,
    /** Signs worker JWTs; derived from the wallet so a restart keeps issued tokens valid. */
    readonly workerJwtSecret: Uint8Array,
  ) {}

  /** The scheduler wallet address, lowercase as the Java scheduler uses it. */
  get schedulerAddress(): string {
    return this.account.address.toLowerCase();
  }
}

export async function loadSchedulerKey(path: string, password: string): Promise<`0x${string}`> {
  let json: string;
  try {
    json = await readFile(path, 'utf8');
  } catch (error) {
    throw new ChainBootError(
      `IEXEC_CORE_WALLET_PATH=${path}: cannot read the keystore (${(error as Error).message})`,
    );
  }
  try {
    return decryptKeystore(json, password);
  } catch (error) {
    throw new ChainBootError(`IEXEC_CORE_WALLET_PATH=${path}: ${(error as Error).message}`);
  }
}

/** Reads `/config/chain` with a bounded retry (transport errors and 5xx), then validates it. */
export async function fetchChainConfig(
  configServerUrl: string,
  attempts = CONFIG_SERVER_ATTEMPTS,
): Promise<ChainConfig> {
  const url = `${configServerUrl}/config/chain`;
  let lastError = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
      });
      if (res.ok) return parseChainConfig(await res.json());
      lastError = `HTTP ${res.status}`;
      if (res.status < 500) break;
    } catch (error) {
      if ((error as Error).name === 'ChainConfigError') {
        throw new ChainBootError(
          `Config Server ${url} answered an invalid chain config: ${(error as Error).message}`,
        );
      }
      lastError = (error as Error).message;
    }
    if (attempt < attempts) await new Promise((r) => setTimeout(r, 250 * 2 ** (attempt - 1)));
  }
  throw new ChainBootError(
    `Config Server unreachable at ${url} (${lastError}); set IEXEC_CONFIG_SERVER_URL, or IEXEC_CHAIN_ID + IEXEC_HUB_ADDRESS + IEXEC_BLOCK_TIME to run without it`,
  );
}

export async function resolveChainConfig(config: AppConfig): Promise<ChainConfig> {
  if (config.chain.override)
    return { ...config.chain.override, hubAddress: getAddress(config.chain.override.hubAddress) };
  const fetched = await fetchChainConfig(config.configServer.url);
  const partial = config.chain.partialOverride;
  return {
    ...fetched,
    ...partial,
    hubAddress: getAddress(partial.hubAddress ?? fetched.hubAddress),
  };
}

export async function createChainContext(
  config: AppConfig,
  observeRpcCall?: RpcCallObserver,
): Promise<ChainContext> {
  const logger = new Logger('ChainContext');
  const privateKey = await loadSchedulerKey(config.wallet.path, config.wallet.password);
  const account = privateKeyToAccount(privateKey);
  const chainConfig = await resolveChainConfig(config);
  // viem is given the node's origin only: its error messages, logged, carry the URL it has.
  const node = hiddenNodeUrl(
    config.chain.nodeUrl,
    observeRpcCall ? meteredFetch(nodeHttpFetch, observeRpcCall) : nodeHttpFetch,
  );
  const chain = defineChain({
    id: chainConfig.chainId,
    name: `iexec-${chainConfig.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [node.url] } },
  });
  const transport = http(node.url, {
    fetchFn: node.fetch as unknown as typeof fetch,
    timeout: RPC_TIMEOUT_MS,
    retryCount: 1,
    retryDelay: 200,
  });
  const pollingInterval = Math.max(50, Math.min(chainConfig.blockTimeMs, 4000));
  const publicClient = createPublicClient({
    chain,
    transport,
    pollingInterval,
    cacheTime: 0,
  }) as PublicClient;
  const walletClient = createWalletClient({ account, chain, transport, pollingInterval });
  logger.log(
    `Scheduler wallet ${account.address.toLowerCase()}, chain ${chainConfig.chainId} (hub ${chainConfig.hubAddress}, block time ${chainConfig.blockTimeMs} ms${chainConfig.sidechain ? ', sidechain' : ''}), node ${originOf(config.chain.nodeUrl)}`,
  );
  return new ChainContext(
    account,
    chainConfig,
    chain,
    publicClient,
    walletClient,
    getAddress(config.chain.poolAddress),
    deriveJwtSecret(privateKey, workerJwtLabel(config.workers.jwtGeneration)),
  );
}

/**
 * Boot checks that need the node: the wallet must own POOL_ADDRESS, and (off sidechains) hold
 * enough to pay one transaction. Returns false when the node is unreachable, so the caller can
 * run them again once the chain answers; throws {@link ChainBootError} when a check fails.
 */
export async function verifyWalletOnChain(
  context: ChainContext,
  gasPriceCap: bigint,
): Promise<boolean> {
  const client = context.publicClient;
  try {
    await client.getBlockNumber({ cacheTime: 0 });
  } catch {
    return false;
  }
  let owner: string;
  try {
    owner = await client.readContract({
      address: context.poolAddress,
      abi: workerpoolAbi,
      functionName: 'owner',
    });
  } catch (error) {
    throw new ChainBootError(
      `POOL_ADDRESS=${context.poolAddress} is not a workerpool on chain ${context.chainConfig.chainId} (owner() failed: ${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (owner.toLowerCase() !== context.schedulerAddress) {
    throw new ChainBootError(
      `The scheduler wallet ${context.schedulerAddress} does not own the workerpool POOL_ADDRESS=${context.poolAddress} (owner: ${owner.toLowerCase()}); workers' contributions would be rejected. Use the owner's keystore in IEXEC_CORE_WALLET_PATH.`,
    );
  }
  if (!context.chainConfig.sidechain) {
    const balance = await client.getBalance({ address: context.account.address });
    const minimum = GAS_LIMIT_CAP * gasPriceCap;
    if (balance < minimum) {
      throw new ChainBootError(
        `The scheduler wallet ${context.schedulerAddress} holds ${balance} wei, less than one transaction at the gas price cap (${minimum} wei = 1,000,000 gas x IEXEC_GAS_PRICE_CAP): refill it`,
      );
    }
  }
  return true;
}
