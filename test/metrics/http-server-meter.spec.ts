import { httpServerLabels, outcomeOf, uriTemplateOf } from '../../src/metrics/http-server-meter.js';

describe("Spring's http.server.requests tags", () => {
  it('outcome by status class', () => {
    expect([101, 200, 208, 302, 401, 503, 700].map(outcomeOf)).toEqual([
      'INFORMATIONAL',
      'SUCCESS',
      'SUCCESS',
      'REDIRECTION',
      'CLIENT_ERROR',
      'SERVER_ERROR',
      'UNKNOWN',
    ]);
  });

  it('uri: the route template in Spring form, never the raw path', () => {
    expect(uriTemplateOf('/tasks/:chainTaskId/replicates/:walletAddress/logs', 200)).toBe(
      '/tasks/{chainTaskId}/replicates/{walletAddress}/logs',
    );
    expect(uriTemplateOf('/', 200)).toBe('root');
    expect(uriTemplateOf(undefined, 404)).toBe('NOT_FOUND');
    expect(uriTemplateOf('*', 404)).toBe('NOT_FOUND');
    expect(uriTemplateOf(undefined, 301)).toBe('REDIRECTION');
    expect(uriTemplateOf(undefined, 400)).toBe('UNKNOWN');
  });

  it('labels of one request, exception none by default', () => {
    expect(httpServerLabels('POST', '/workers/ping', 200, undefined)).toEqual({
      method: 'POST',
      uri: '/workers/ping',
      status: '200',
      outcome: 'SUCCESS',
      exception: 'none',
    });
    expect(httpServerLabels('GET', '/x', 500, 'TypeError').exception).toBe('TypeError');
  });
});
