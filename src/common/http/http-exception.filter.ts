import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { EmptyResponseException } from './empty-response.exception.js';
import { ReadApiException } from './read-api.exception.js';
import { recordException } from './response-observers.js';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

function messageOf(exception: HttpException): string | undefined {
  const response = exception.getResponse();
  if (typeof response === 'string') return response || undefined;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

/**
 * Error bodies as Spring Boot writes them (`{timestamp, status, error, message, path}`), except
 * for explicit empty-body protocol answers, and read-API refusals whose `error` also names the
 * reason. Unexpected errors are logged and answered 500.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();

    if (exception instanceof EmptyResponseException) {
      reply.status(exception.getStatus()).send();
      return;
    }
    recordException(request, (exception as object)?.constructor?.name ?? 'Error');
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message: string | undefined;
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      message = messageOf(exception);
    } else {
      const fastifyStatus = (exception as { statusCode?: number })?.statusCode;
      if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
        status = fastifyStatus;
        message = (exception as Error).message;
      } else {
        this.logger.error(
          `${request.method} ${request.url} failed`,
          (exception as Error)?.stack ?? String(exception),
        );
      }
    }
    const phrase = REASONS[status] ?? 'Error';
    reply
      .status(status)
      .header('content-type', 'application/json')
      .send({
        timestamp: new Date().toISOString(),
        status,
        error: exception instanceof ReadApiException ? `${phrase}: ${exception.reason}` : phrase,
        ...(message ? { message } : {}),
        path: request.url.split('?')[0],
      });
  }
}
