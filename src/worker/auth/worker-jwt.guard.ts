import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { EmptyResponseException } from '../../common/http/empty-response.exception.js';
import { WorkerAuthService } from './worker-auth.service.js';

const authenticated = new WeakMap<object, string>();

/**
 * Worker authentication of W3, W4, W6, R1, R2, R3 (worker-api.md §2.4): `Authorization` must be
 * exactly `Bearer <jwt>`. Anything else, including a missing header (the reference answers 400
 * there; 401 lets a worker whose re-login failed log in again, §12 item 8), is a 401 with an
 * empty body. Runs before pipes, so authentication is checked before the body or the query.
 *
 * Use with `@UseGuards(WorkerJwtGuard)` in a module importing `WorkerModule`, and read the
 * identity with {@link AuthenticatedWallet}; routes with a body also apply
 * `WorkerJwtMiddleware`, which refuses before the body is read.
 */
@Injectable()
export class WorkerJwtGuard implements CanActivate {
  constructor(private readonly auth: WorkerAuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const wallet = this.auth.authenticate(request.headers.authorization);
    if (wallet === undefined) throw new EmptyResponseException(401);
    authenticated.set(request, wallet);
    return true;
  }
}

/** The wallet string of the caller (the JWT `sub`, verbatim from login); needs {@link WorkerJwtGuard}. */
export const AuthenticatedWallet = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => {
    const wallet = authenticated.get(context.switchToHttp().getRequest<FastifyRequest>());
    if (wallet === undefined) throw new Error('@AuthenticatedWallet() used without WorkerJwtGuard');
    return wallet;
  },
);
