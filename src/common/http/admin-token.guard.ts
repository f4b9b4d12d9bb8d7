import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { EmptyResponseException } from './empty-response.exception.js';

/** Admin endpoints exist only when IEXEC_CORE_ADMIN_TOKEN is set, and require it as a Bearer token. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const token = this.config.server.adminToken;
    if (!token) throw new EmptyResponseException(404);
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    // Digests of equal length: the comparison leaks neither the token nor its length.
    if (!timingSafeEqual(digest(given), digest(token))) throw new EmptyResponseException(401);
    return true;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
