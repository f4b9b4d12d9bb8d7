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

/** A configuration value as a config error may show it. */
export function displayedValue(name: string, value: string): string {
  if (isSecretVariable(name)) return value === '' ? '""' : '(hidden)';
  if (name.endsWith('_URL') || name.endsWith('_ADDRESS'))
    return JSON.stringify(redactCredentials(value));
  return JSON.stringify(value);
}
