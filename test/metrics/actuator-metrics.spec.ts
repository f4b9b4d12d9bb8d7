import {
  metricDetail,
  metricNames,
  micrometerName,
  parseTagFilters,
  RegistryMetric,
} from '../../src/metrics/actuator-metrics.js';

const METRICS: RegistryMetric[] = [
  {
    name: 'http_server_requests_seconds',
    help: 'Duration of HTTP server request handling',
    type: 'histogram',
    values: [
      {
        metricName: 'http_server_requests_seconds_bucket',
        value: 2,
        labels: { le: 0.1, method: 'GET', status: '200' },
      },
      {
        metricName: 'http_server_requests_seconds_sum',
        value: 0.5,
        labels: { method: 'GET', status: '200' },
      },
      {
        metricName: 'http_server_requests_seconds_count',
        value: 2,
        labels: { method: 'GET', status: '200' },
      },
      {
        metricName: 'http_server_requests_seconds_sum',
        value: 0.25,
        labels: { method: 'POST', status: '401' },
      },
      {
        metricName: 'http_server_requests_seconds_count',
        value: 1,
        labels: { method: 'POST', status: '401' },
      },
    ],
  },
  {
    name: 'iexec_core_deals_events_total',
    help: 'SchedulerNotice logs decoded since start',
    type: 'counter',
    values: [{ value: 7, labels: {} }],
  },
  {
    name: 'iexec_core_workers',
    help: 'Alive workers',
    type: 'gauge',
    values: [{ value: 3, labels: {} }],
  },
];

describe('/actuator/metrics from the Prometheus registry', () => {
  it('gives back Micrometer names and base units', () => {
    expect(micrometerName('http_server_requests_seconds')).toEqual({
      name: 'http.server.requests',
      baseUnit: 'seconds',
    });
    expect(micrometerName('iexec_core_deals_events_total')).toEqual({
      name: 'iexec.core.deals.events',
      baseUnit: null,
    });
    expect(metricNames(METRICS)).toEqual({
      names: ['http.server.requests', 'iexec.core.deals.events', 'iexec.core.workers'],
    });
  });

  it('sums a timer, filtered by tags, with the tags left to filter on', () => {
    expect(metricDetail(METRICS, 'http.server.requests', [])).toEqual({
      name: 'http.server.requests',
      description: 'Duration of HTTP server request handling',
      baseUnit: 'seconds',
      measurements: [
        { statistic: 'COUNT', value: 3 },
        { statistic: 'TOTAL_TIME', value: 0.75 },
      ],
      availableTags: [
        { tag: 'method', values: ['GET', 'POST'] },
        { tag: 'status', values: ['200', '401'] },
      ],
    });
    expect(
      metricDetail(METRICS, 'http.server.requests', [['status', '401']])?.measurements,
    ).toEqual([
      { statistic: 'COUNT', value: 1 },
      { statistic: 'TOTAL_TIME', value: 0.25 },
    ]);
  });

  it('counters are COUNT, gauges VALUE, an unknown name is undefined', () => {
    expect(metricDetail(METRICS, 'iexec.core.deals.events', [])?.measurements).toEqual([
      { statistic: 'COUNT', value: 7 },
    ]);
    expect(metricDetail(METRICS, 'iexec.core.workers', [])?.measurements).toEqual([
      { statistic: 'VALUE', value: 3 },
    ]);
    expect(metricDetail(METRICS, 'nope', [])).toBeUndefined();
  });

  it('parses tag=key:value filters, refusing malformed ones', () => {
    expect(parseTagFilters(undefined)).toEqual([]);
    expect(parseTagFilters('uri:/a:b')).toEqual([['uri', '/a:b']]);
    expect(parseTagFilters(['a:1', 'b:2'])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(parseTagFilters('nocolon')).toBeUndefined();
    expect(parseTagFilters(':x')).toBeUndefined();
  });
});
