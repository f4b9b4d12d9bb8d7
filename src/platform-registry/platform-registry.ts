import type { TeeFramework } from '../chain/tee-tag.js';

/** SMS base URLs per TEE framework, from the Platform Registry or local variables. */
export interface SmsUrls {
  scone: string;
  gramine: string;
  /** Optional, as in iexec-core 9.1 (`sms.tdx` defaults to empty): '' when none. */
  tdx: string;
}

/** The SMS of a framework; '' when none is configured (only TDX may lack one). */
export function smsUrlOf(urls: SmsUrls, framework: TeeFramework): string {
  return { SCONE: urls.scone, GRAMINE: urls.gramine, TDX: urls.tdx }[framework];
}

interface PropertySource {
  name?: string;
  source?: Record<string, unknown>;
}

/**
 * Reads properties from a Spring Cloud Config "Environment" document (services.md §4.3): sources
 * are listed most specific first and the first one wins; values may be wrapped as {value, origin}.
 */
export function propertiesOf(environment: unknown): {
  properties: Map<string, string>;
  sources: string[];
} {
  const sources = (environment as { propertySources?: PropertySource[] })?.propertySources;
  if (!Array.isArray(sources))
    throw new Error('not a Spring Cloud Config environment (no propertySources)');
  const properties = new Map<string, string>();
  for (const source of sources) {
    for (const [key, raw] of Object.entries(source.source ?? {})) {
      if (properties.has(key)) continue;
      const value =
        typeof raw === 'object' && raw !== null && 'value' in raw
          ? (raw as { value: unknown }).value
          : raw;
      if (value !== null && value !== undefined) properties.set(key, String(value));
    }
  }
  return { properties, sources: sources.map((s) => s.name ?? '') };
}

/** Request paths tried in order: `/application/{profile}` or one per label (a `/` in a label becomes `(_)`). */
export function registryPaths(stack: string, labels: readonly string[]): string[] {
  const profile = stack && stack !== 'default' ? stack : 'default';
  if (labels.length === 0) return [`/application/${encodeURIComponent(profile)}`];
  return labels.map(
    (label) =>
      `/application/${encodeURIComponent(profile)}/${encodeURIComponent(label.replace(/\//g, '(_)'))}`,
  );
}
