import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { TaskNotificationType } from '../notification/task-notification-type.js';

// Route decorators of the OpenAPI document (src/openapi/openapi.ts): the answers each route
// really gives, as worker-api.md lists them. Documentation only: no behaviour changes here.

/** Security scheme of the worker routes: the JWT of POST /workers/login. */
export const WORKER_JWT_SCHEME = 'worker-jwt';
/** Security scheme of the operator routes: IEXEC_CORE_ADMIN_TOKEN. */
export const ADMIN_TOKEN_SCHEME = 'admin-token';

/** Answers without a body (Spring's `ResponseEntity.status(x).build()`), by status. */
export function ApiEmptyAnswers(answers: Record<number, string>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(answers).map(([status, description]) =>
      ApiResponse({ status: Number(status), description }),
    ),
  );
}

/** A `text/plain` answer (challenges, tokens, the configuration fingerprint). */
export function ApiTextAnswer(status: number, description: string): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/plain'),
    ApiResponse({ status, description, content: { 'text/plain': { schema: { type: 'string' } } } }),
  );
}

/** A `"PLEASE_…"` answer: a JSON string literal, quotes included (R3). */
export function ApiNotificationAnswer(status: number, description: string): MethodDecorator {
  return ApiResponse({
    status,
    description,
    content: {
      'application/json': {
        schema: { type: 'string', enum: Object.values(TaskNotificationType) },
      },
    },
  });
}

/** A JSON answer whose shape is given inline (read models without a DTO class). */
export function ApiJsonAnswer(
  status: number,
  description: string,
  schema: Record<string, unknown> = { type: 'object' },
): MethodDecorator {
  return ApiResponse({ status, description, content: { 'application/json': { schema } } });
}

/** The worker JWT guard: the bearer scheme, and its 401 without a body. */
export function ApiWorkerAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(WORKER_JWT_SCHEME),
    ApiResponse({ status: 401, description: 'Missing, invalid or expired worker JWT' }),
  );
}

/** The admin token guard: the bearer scheme, 401 on a wrong token, 404 when none is set. */
export function ApiAdminAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(ADMIN_TOKEN_SCHEME),
    ApiResponse({ status: 401, description: 'Wrong admin token' }),
    ApiResponse({ status: 404, description: 'IEXEC_CORE_ADMIN_TOKEN is not set' }),
  );
}

/** A ValidationPipe refusal: Spring-style JSON error body. */
export function ApiBadRequest(description: string): MethodDecorator & ClassDecorator {
  return ApiJsonAnswer(400, description) as MethodDecorator & ClassDecorator;
}

/** A required wallet address in the query (anything else is a 400 before the handler). */
export function ApiAddressQuery(name: string, description: string): MethodDecorator {
  return ApiQuery({
    name,
    required: true,
    description,
    schema: { type: 'string', pattern: '^0[xX][0-9a-fA-F]{40}$' },
  });
}
