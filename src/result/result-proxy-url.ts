// Which Result Proxy holds a task's result (iexec-core 8.6 #716): the deal's own when its params
// name one, the configured one otherwise.

/**
 * The deal parameter `iexec_result_storage_proxy` when not blank (as Java's
 * `StringUtils.isBlank`), else the configured `IEXEC_RESULT_REPOSITORY_*` URL; no trailing slash.
 * `undefined` when the deal names something that is not an http(s) URL: nothing can be asked.
 */
export function resultProxyUrlOf(
  dealProxy: string | null | undefined,
  configuredUrl: string,
): string | undefined {
  const named = dealProxy?.trim();
  if (!named) return configuredUrl;
  let url: URL;
  try {
    url = new URL(named);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return named.replace(/\/+$/, '');
}
