// viem clients for the local chain. Short polling and no cache: viem's defaults (4 s polling,
// cached block number) make tests against an automining node crawl or read stale heads.
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type HttpTransport,
  type PublicClient,
  type TestClient,
  type WalletClient,
} from 'viem';
import { nodeHttpFetch } from '../../src/chain/node-http-fetch.js';

export const LOCAL_POLLING_INTERVAL_MS = 50;

export interface ChainEndpoint {
  rpcUrl: string;
  chainId: number;
}

export function localChain({ rpcUrl, chainId }: ChainEndpoint): Chain {
  return defineChain({
    id: chainId,
    name: `local-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}

export type LocalPublicClient = PublicClient<HttpTransport, Chain>;
export type LocalTestClient = TestClient<'hardhat', HttpTransport, Chain>;
export type LocalWalletClient = WalletClient<HttpTransport, Chain, Account>;

export interface ChainClients {
  chain: Chain;
  rpcUrl: string;
  publicClient: LocalPublicClient;
  testClient: LocalTestClient;
  /** A wallet client signing locally with `account` (clients are cached per address). */
  wallet(account: Account): LocalWalletClient;
}

export function createChainClients(endpoint: ChainEndpoint): ChainClients {
  const chain = localChain(endpoint);
  // A couple of quick retries: under load the node may close an idle keep-alive socket just as a
  // request is written on it ("other side closed"); nothing was processed, so a retry is safe.
  // node:http rather than global fetch, as the scheduler does: on the benches' two cores the
  // fleet and the stand-ins share the CPU with the scheduler they measure.
  const transport = http(endpoint.rpcUrl, {
    fetchFn: nodeHttpFetch as unknown as typeof fetch,
    retryCount: 2,
    retryDelay: 50,
  });
  const common = { chain, transport, pollingInterval: LOCAL_POLLING_INTERVAL_MS, cacheTime: 0 };
  const wallets = new Map<string, LocalWalletClient>();
  return {
    chain,
    rpcUrl: endpoint.rpcUrl,
    publicClient: createPublicClient(common),
    testClient: createTestClient({ ...common, mode: 'hardhat' }),
    wallet(account) {
      let client = wallets.get(account.address);
      if (!client) {
        client = createWalletClient({ ...common, account });
        wallets.set(account.address, client);
      }
      return client;
    },
  };
}
