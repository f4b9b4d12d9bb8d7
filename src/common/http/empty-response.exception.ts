import { HttpException } from '@nestjs/common';

/**
 * An explicit protocol answer with an empty body (401, 403, 404, 503… as the Java scheduler
 * sends them; the worker only reads the status code).
 */
export class EmptyResponseException extends HttpException {
  constructor(status: number, reason?: string) {
    super(reason ?? '', status);
  }
}
