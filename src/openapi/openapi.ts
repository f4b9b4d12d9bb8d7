import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { buildInfo } from '../health/build-info.js';
import { ADMIN_TOKEN_SCHEME, WORKER_JWT_SCHEME } from './api-answers.js';
import { swaggerUiIndexHtml, swaggerUiInitializerJs } from './swagger-ui-page.js';

// The OpenAPI 3 document and Swagger UI at springdoc's default paths (worker-api.md D1,
// persistence-and-ops.md): served publicly, as the Java scheduler does (it sets no
// `springdoc.api-docs.enabled`, so there is no switch here either).
// The UI is served here, not by SwaggerModule: its own serving resolves swagger-ui-dist from
// node_modules (absent in the image) and loads @fastify/static with loadPackage, which exits the
// process when the package cannot be loaded (under jest's VM modules, it cannot). The page
// needs five files: read once, kept in memory (~1.6 MB).

export const OPENAPI_DOCUMENT_PATH = '/v3/api-docs';
export const SWAGGER_UI_PATH = '/swagger-ui';

/** The document built from the controllers and DTOs of the application. */
export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('iExec Core Scheduler')
    .setVersion(buildInfo().version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, WORKER_JWT_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, ADMIN_TOKEN_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * The Swagger UI assets: `swagger-ui` beside the bundled dist/main.js (the image ships no
 * node_modules; scripts/bundle.mjs copies them there), else swagger-ui-dist from node_modules.
 */
export function swaggerUiAssets(): string | undefined {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const copied = join(dir, 'swagger-ui');
    if (existsSync(join(copied, 'swagger-ui-bundle.js'))) return copied;
    if (existsSync(join(dir, 'package.json'))) break;
  }
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    return undefined; // told by setupOpenApi's warning
  }
}

/** The swagger-ui-dist files the page loads (scripts/bundle.mjs copies the same), by type. */
export const SWAGGER_UI_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'application/javascript',
  'swagger-ui-standalone-preset.js': 'application/javascript',
  'swagger-ui.css': 'text/css',
  'index.css': 'text/css',
  'favicon-32x32.png': 'image/png',
};

const assetCache = new Map<string, Buffer>();

/** An asset, read on its first request (every test application would read them all). */
function assetContent(path: string): Buffer {
  let content = assetCache.get(path);
  if (content === undefined) {
    content = readFileSync(path);
    assetCache.set(path, content);
  }
  return content;
}

/** Serves the document at /v3/api-docs and the UI at /swagger-ui/index.html. */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(SWAGGER_UI_PATH, app, () => openApiDocument(app), {
    ui: false,
    jsonDocumentUrl: OPENAPI_DOCUMENT_PATH,
    raw: ['json'],
  });
  const assets = swaggerUiAssets();
  if (assets === undefined) {
    new Logger('OpenApi').warn(
      `Swagger UI assets not found (dist/swagger-ui or swagger-ui-dist): ${SWAGGER_UI_PATH}/index.html is not served, ${OPENAPI_DOCUMENT_PATH} is`,
    );
    return;
  }
  const fastify = app.getHttpAdapter().getInstance();
  const html = swaggerUiIndexHtml('iExec Core Scheduler');
  const initializer = swaggerUiInitializerJs(OPENAPI_DOCUMENT_PATH);
  fastify.get(SWAGGER_UI_PATH, (_req, reply) => reply.redirect(`${SWAGGER_UI_PATH}/index.html`));
  fastify.get(`${SWAGGER_UI_PATH}/index.html`, (_req, reply) => reply.type('text/html').send(html));
  fastify.get(`${SWAGGER_UI_PATH}/swagger-initializer.js`, (_req, reply) =>
    reply.type('application/javascript').send(initializer),
  );
  for (const [file, type] of Object.entries(SWAGGER_UI_FILES)) {
    fastify.get(`${SWAGGER_UI_PATH}/${file}`, (_req, reply) =>
      reply.type(type).send(assetContent(join(assets, file))),
    );
  }
}
