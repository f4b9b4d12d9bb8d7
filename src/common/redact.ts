// URLs and secrets as they may appear in logs, health details and config errors: hosted RPC URLs
// carry API keys in their path or query, Mongo URLs carry passwords.

/** `scheme://host[:port]` of a URL: no credentials, path or query. */
export function originOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '<not a URL>';
  }
}

/**
 * The URL with the password of its user part replaced by `***`, also when the scheme is missing
 * (`user:pw@host`) or the password holds an unencoded `@` (up to the authority's last one).
 */
export function redactCredentials(url: string): string {
  return url.replace(/(^|\/\/)([^:@/?#]+):([^/?#]*)@/, '$1$2:***@');
}

/** Variables whose values never appear in a message. */
export function isSecretVariable(name: string): boolean {
  return /PASSWORD|TOKEN|SECRET|PRIVATE_KEY/.test(name);
}

/**
 * A node URL as a config error may show it: scheme and authority (password redacted), the path
 * and query, where hosted RPC providers put the API key, replaced by `/…`. Parsed by hand: a
 * value in a config error is often not a valid URL.
 */
export function withoutPathOrQuery(url: string): string {
  const head = /^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*/i.exec(url)?.[0] ?? '';
  return redactCredentials(head) + (head.length < url.length ? '/…' : '');
}

/** Variables holding a chain node's URL (IEXEC_PRIVATE_CHAIN_ADDRESS and its alias). */
function isNodeUrlVariable(name: string): boolean {
  return name.endsWith('CHAIN_ADDRESS') || name.endsWith('NODE_ADDRESS');
}

/** A configuration value as a config error may show it. */
export function displayedValue(name: string, value: string): string {
  if (isSecretVariable(name)) return value === '' ? '""' : '(hidden)';
  if (isNodeUrlVariable(name)) return JSON.stringify(withoutPathOrQuery(value));
  if (name.endsWith('_URL') || name.endsWith('_ADDRESS'))
    return JSON.stringify(redactCredentials(value));
  return JSON.stringify(value);
}
