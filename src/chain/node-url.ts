import { originOf } from '../common/redact.js';
import type { RpcFetch } from './metered-fetch.js';

/**
 * The node URL as viem's transport is given it, and the fetch that sends every call to the real
 * one. viem writes its transport's URL into the message of every error it raises
 * (`URL: https://host/v3/<key>`), and those messages are logged, kept as the reason of a skipped
 * deal and shown in health; a hosted RPC URL carries its API key in its path, query or user part.
 * So viem only ever sees the node's origin, and `fetch` is handed the full URL (node:http sends
 * its user part as basic auth, as viem would have).
 */
export function hiddenNodeUrl(nodeUrl: string, fetch: RpcFetch): { url: string; fetch: RpcFetch } {
  let target: URL;
  try {
    target = new URL(nodeUrl);
  } catch {
    return { url: nodeUrl, fetch };
  }
  const shown = originOf(nodeUrl);
  if (new URL(shown).href === target.href) return { url: nodeUrl, fetch };
  return { url: shown, fetch: (_shownUrl, init) => fetch(new URL(target), init) };
}
