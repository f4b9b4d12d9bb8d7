import type { FastifyRequest } from 'fastify';

/**
 * `scheme://host[:port]` of the incoming request (from its Host header, as Spring's link
 * builder does), used to build the absolute URLs of the read models.
 */
export function requestBaseUrl(request: FastifyRequest): string {
  let host = request.host;
  if (!host) {
    const address = request.socket.localAddress ?? 'localhost';
    host = `${address.includes(':') ? `[${address}]` : address}:${request.socket.localPort}`;
  }
  return `${request.protocol}://${host}`;
}
