/**
 * Spring Boot's `/actuator/metrics` answers built from the Prometheus registry. Micrometer's
 * dotted names come back from the Prometheus ones (`http_server_requests_seconds` →
 * `http.server.requests`, `iexec_core_deals_events_total` → `iexec.core.deals.events`).
 */

/** What prom-client's `getMetricsAsJSON()` gives for one meter. */
export interface RegistryMetric {
  name: string;
  help: string;
  type: string;
  values: {
    value: number;
    labels: Record<string, string | number | undefined>;
    metricName?: string;
  }[];
}

export interface MetricMeasurement {
  statistic: 'COUNT' | 'TOTAL_TIME' | 'TOTAL' | 'VALUE';
  value: number;
}

export interface MetricDetail {
  name: string;
  description: string;
  baseUnit: string | null;
  measurements: MetricMeasurement[];
  availableTags: { tag: string; values: string[] }[];
}

const UNIT_SUFFIXES: [string, string][] = [
  ['_seconds', 'seconds'],
  ['_bytes', 'bytes'],
];

/** Micrometer's name and base unit of a Prometheus meter name. */
export function micrometerName(prometheusName: string): { name: string; baseUnit: string | null } {
  let name = prometheusName.replace(/_total$/, '');
  let baseUnit: string | null = null;
  for (const [suffix, unit] of UNIT_SUFFIXES)
    if (name.endsWith(suffix)) {
      name = name.slice(0, -suffix.length);
      baseUnit = unit;
    }
  return { name: name.replaceAll('_', '.'), baseUnit };
}

/** `GET /actuator/metrics`: every meter name, sorted. */
export function metricNames(metrics: readonly RegistryMetric[]): { names: string[] } {
  return { names: [...new Set(metrics.map((m) => micrometerName(m.name).name))].sort() };
}

/** Parses the `tag=key:value` query parameters; undefined when one is malformed. */
export function parseTagFilters(
  tags: string | string[] | undefined,
): [string, string][] | undefined {
  const list = tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
  const filters: [string, string][] = [];
  for (const tag of list) {
    const colon = tag.indexOf(':');
    if (colon <= 0 || colon === tag.length - 1) return undefined;
    filters.push([tag.slice(0, colon), tag.slice(colon + 1)]);
  }
  return filters;
}

/** `GET /actuator/metrics/{name}?tag=k:v`: undefined when no meter has that name. */
export function metricDetail(
  metrics: readonly RegistryMetric[],
  name: string,
  filters: readonly [string, string][],
): MetricDetail | undefined {
  const metric = metrics.find((m) => micrometerName(m.name).name === name);
  if (!metric) return undefined;
  const matches = metric.values.filter(({ labels }) =>
    filters.every(([k, v]) => String(labels[k]) === v),
  );
  const sum = (suffix?: string) =>
    matches
      .filter((v) => (suffix ? v.metricName === `${metric.name}${suffix}` : true))
      .reduce((total, v) => total + v.value, 0);
  const measurements: MetricMeasurement[] =
    metric.type === 'histogram' || metric.type === 'summary'
      ? [
          { statistic: 'COUNT', value: sum('_count') },
          { statistic: 'TOTAL_TIME', value: sum('_sum') },
        ]
      : [{ statistic: metric.type === 'counter' ? 'COUNT' : 'VALUE', value: sum() }];
  const tags = new Map<string, Set<string>>();
  for (const { labels } of matches)
    for (const [k, v] of Object.entries(labels)) {
      if (k === 'le' || k === 'quantile' || v === undefined || filters.some(([f]) => f === k))
        continue;
      tags.set(k, (tags.get(k) ?? new Set()).add(String(v)));
    }
  return {
    name,
    description: metric.help,
    baseUnit: micrometerName(metric.name).baseUnit,
    measurements,
    availableTags: [...tags]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([tag, values]) => ({ tag, values: [...values].sort() })),
  };
}
