// The official iExec SDK (npm `iexec`, JS API) pointed at the dev stack, as a requester or a
// workerpool owner would configure it for a custom chain: an ethers wallet on the chain's RPC and
// the hub, SMS and Compass the Config Server stand-in advertises (SDK_CHAIN_PATH).
import { JsonRpcProvider, Wallet } from 'ethers';
import { IExec } from 'iexec';
import type { Hex } from 'viem';
import type { SdkChainDocument } from '../services/config-server.js';

export type SdkChain = SdkChainDocument['chains'][string];

/** The default chain of the SDK document served at `url` (the Config Server stand-in's). */
export async function fetchSdkChain(url: string): Promise<SdkChain> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const document = (await response.json()) as SdkChainDocument;
  const chain = document.chains?.[document.default];
  if (!chain) throw new Error(`${url}: no chain named ${document.default}`);
  return chain;
}

/**
 * An SDK instance signing with `privateKey`. Not the SDK's getSignerFromPrivateKey: its provider
 * caches reads for 250 ms, so on an automining chain a transaction sent right after another one
 * gets the same (cached) nonce.
 */
export function sdkFor(chain: SdkChain, privateKey: Hex): IExec {
  const provider = new JsonRpcProvider(chain.host, Number(chain.id), {
    cacheTimeout: -1,
    pollingInterval: 250,
    staticNetwork: true,
  });
  return new IExec(
    { ethProvider: new Wallet(privateKey, provider) },
    { hubAddress: chain.hub, smsURL: chain.sms, compassURL: chain.compass },
  );
}
