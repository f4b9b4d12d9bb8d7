// Compass stand-in: where iExec SDK 9 looks up a workerpool's API (its scheduler's URL) before
// `task.fetchOffchainInfo` / `task.fetchLogs`: `GET /{chainId}/workerpools/{address}` answers
// `{"apiUrl": …}`. The dev stack registers its workerpool once the scheduler's URL is known.
import { getAddress, isAddress, type Address } from 'viem';
import { json, notFound, serveRoutes, type Route, type ServeOptions } from './http.js';

export const COMPASS_PORT = 13400;

export interface CompassOptions extends ServeOptions {
  /** Only this chain's lookups are answered (another chain id → 404, as a per-chain service). */
  chainId: number;
}

export interface CompassStandIn {
  url: string;
  port: number;
  /** Advertises `apiUrl` as the API of `workerpool` (replaces a previous one). */
  register(workerpool: Address, apiUrl: string): void;
  unregister(workerpool: Address): void;
  stop(): Promise<void>;
}

export function compassRoutes(chainId: number, apiUrls: Map<string, string>): Route[] {
  return [
    {
      method: 'GET',
      path: '/:chainId/workerpools/:address',
      handler: ({ params }) => {
        if (params.chainId !== String(chainId)) throw notFound(`unknown chain ${params.chainId}`);
        if (!isAddress(params.address, { strict: false })) {
          throw notFound(`not an address: ${params.address}`);
        }
        const apiUrl = apiUrls.get(params.address.toLowerCase());
        if (!apiUrl) throw notFound(`unknown workerpool ${getAddress(params.address)}`);
        return json({ address: getAddress(params.address), apiUrl });
      },
    },
  ];
}

/** Compass on `options.port` (0 = free port). */
export async function startCompass(options: CompassOptions): Promise<CompassStandIn> {
  const apiUrls = new Map<string, string>();
  const server = await serveRoutes('compass', compassRoutes(options.chainId, apiUrls), options);
  return {
    url: server.url,
    port: server.port,
    register(workerpool, apiUrl) {
      apiUrls.set(workerpool.toLowerCase(), new URL(apiUrl).href.replace(/\/$/, ''));
    },
    unregister(workerpool) {
      apiUrls.delete(workerpool.toLowerCase());
    },
    stop: server.stop,
  };
}
