import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WorkerAuthService } from './worker-auth.service.js';

/**
 * The check of {@link WorkerJwtGuard}, run when the request arrives, before its body is read:
 * a caller without a valid token cannot make the scheduler receive and parse up to the status
 * update's body limit. The guard still runs on the route (it records the caller's wallet).
 */
@Injectable()
export class WorkerJwtMiddleware implements NestMiddleware<IncomingMessage, ServerResponse> {
  constructor(private readonly auth: WorkerAuthService) {}

  use(request: IncomingMessage, response: ServerResponse, next: () => void): void {
    if (this.auth.authenticate(request.headers.authorization) !== undefined) return next();
    response.writeHead(401, { 'content-length': '0', connection: 'close' });
    response.end();
  }
}
