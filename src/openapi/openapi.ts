import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { buildInfo } from '../health/build-info.js';
import { ADMIN_TOKEN_SCHEME, WORKER_JWT_SCHEME } from './api-answers.js';

// The OpenAPI 3 document and Swagger UI at springdoc's default paths (worker-api.md D1,
// persistence-and-ops.md): served publicly, as the Java scheduler does (it sets no
// `springdoc.api-docs.enabled`, so there is no switch here either).

export const OPENAPI_DOCUMENT_PATH = '/v3/api-docs';
export const SWAGGER_UI_PATH = '/swagger-ui';

/** The document built from the controllers and DTOs of the application. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('iExec Core Scheduler')
    .setVersion(buildInfo().version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, WORKER_JWT_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, ADMIN_TOKEN_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * The Swagger UI assets: `dist/swagger-ui` beside the bundled dist/main.js (the image ships no
 * node_modules; scripts/bundle.mjs copies them), else swagger-ui-dist from node_modules.
 */
function swaggerUiAssets(): string | undefined {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const copied = join(dir, 'swagger-ui');
    if (existsSync(join(copied, 'swagger-ui-bundle.js'))) return copied;
    if (existsSync(join(dir, 'package.json'))) break;
  }
  return undefined;
}

/** Serves the document at /v3/api-docs and the UI at /swagger-ui/index.html. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => openApiDocument(app), {
    jsonDocumentUrl: OPENAPI_DOCUMENT_PATH,
    raw: ['json'],
    customSwaggerUiPath: swaggerUiAssets(),
    customSiteTitle: 'iExec Core Scheduler',
  });
}
