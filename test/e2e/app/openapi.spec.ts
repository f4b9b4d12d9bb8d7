import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { isolateChainPerFile, testChain } from '../../support/chain.js';
import { Ajv } from 'ajv';
import { generatePrivateKey } from 'viem/accounts';
import { RunningScheduler, startScheduler } from '../../support/scheduler.js';
import { TestWorker } from '../../support/worker-client.js';

// The OpenAPI 3 document (issue 18 §4) against the routes the application really registers: a
// new route without its documentation fails here.
const chain = testChain();
isolateChainPerFile(chain);

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { description: string }>; security?: unknown }>
  >;
  components: { securitySchemes: Record<string, unknown>; schemas?: Record<string, unknown> };
}

/** The routes of the application, as `METHOD /path/{param}`. */
function collectRoutes(app: NestFastifyApplication, into: Set<string>): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      // HEAD: Fastify's twin of each GET; `OPTIONS *`: its catch-all preflight route.
      for (const method of methods) {
        if (method !== 'HEAD' && path !== '*') into.add(`${method} ${path}`);
      }
    });
}

describe('OpenAPI document', () => {
  let scheduler: RunningScheduler;
  const routes = new Set<string>();
  let doc: OpenApiDocument;
  beforeAll(async () => {
    scheduler = await startScheduler(chain, await chain.fixtures.createWorkerpool(), {
      beforeListen: (app) => collectRoutes(app, routes),
    });
    const res = await fetch(`${scheduler.baseUrl}/v3/api-docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    doc = (await res.json()) as OpenApiDocument;
  });
  afterAll(async () => {
    await scheduler.close();
  });

  it('is OpenAPI 3 with the worker JWT and admin token schemes', () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'admin-token',
      'worker-jwt',
    ]);
  });

  it('lists every route the application registers, and only those', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.size).toBeGreaterThan(20);
    expect(documented.sort()).toEqual([...routes].sort());
  });

  it('gives every operation its answers, and the guarded ones their scheme and 401', () => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        // @nestjs/swagger adds a bare 200/201 to an undecorated route: its description is empty.
        const undescribed = Object.entries(operation.responses)
          .filter(([, answer]) => answer.description === '')
          .map(([status]) => status);
        expect([where, Object.keys(operation.responses).length, undescribed]).toEqual([
          where,
          expect.any(Number),
          [],
        ]);
        if (operation.security !== undefined) {
          expect([where, Object.keys(operation.responses)]).toEqual([
            where,
            expect.arrayContaining(['401']),
          ]);
        }
      }
    }
    const updateStatus = doc.paths['/replicates/{chainTaskId}/updateStatus'].post;
    expect(updateStatus.security).toEqual([{ 'worker-jwt': [] }]);
    expect(Object.keys(updateStatus.responses)).toEqual(
      expect.arrayContaining(['200', '202', '208', '400', '401', '503']),
    );
    expect(updateStatus.responses['200']).toMatchObject({
      content: {
        'application/json': {
          schema: { type: 'string', enum: expect.arrayContaining(['PLEASE_CONTINUE']) },
        },
      },
    });
  });

  it('describes the request bodies and parameters from the DTOs', () => {
    const schemas = doc.components.schemas as Record<
      string,
      { properties: Record<string, Record<string, unknown>>; required?: string[] }
    >;
    expect(schemas.ReplicateStatusUpdateDto.required).toEqual(['status']);
    expect(JSON.stringify(schemas.ReplicateStatusUpdateDto.properties.status)).toContain(
      '#/components/schemas/ReplicateStatus"',
    );
    expect(schemas.ReplicateStatus).toMatchObject({
      type: 'string',
      enum: expect.arrayContaining(['COMPUTED', 'CONTRIBUTED']),
    });
    expect(JSON.stringify(schemas.ReplicateStatusDetailsDto.properties.chainReceipt)).toContain(
      '#/components/schemas/ChainReceiptDto"',
    );
    expect(schemas.WorkerModelDto.properties.name).toMatchObject({
      type: 'string',
      maxLength: 256,
      nullable: true,
    });
    expect(schemas.WorkerModelDto.properties.cpuNb).toMatchObject({
      type: 'integer',
      maximum: 2147483647,
    });
    expect(schemas.SignatureDto.required).toEqual(['value']);
    const askParameters = (
      doc.paths['/replicates/available'].get as unknown as {
        parameters: { name: string; in: string; required: boolean; schema: unknown }[];
      }
    ).parameters;
    expect(askParameters).toContainEqual(
      expect.objectContaining({
        name: 'blockNumber',
        in: 'query',
        required: true,
        schema: expect.objectContaining({ type: 'integer', format: 'int64' }),
      }),
    );
  });

  it('gives the address parameters their shape, so fuzzers reach past the 400', () => {
    type Parameter = { name: string; required: boolean; schema: { pattern?: string } };
    const parameter = (path: string, method: string, name: string) =>
      (doc.paths[path][method] as unknown as { parameters: Parameter[] }).parameters.filter(
        (p) => p.name === name,
      );
    for (const [path, method, name] of [
      ['/workers/challenge', 'get', 'walletAddress'],
      ['/workers/login', 'post', 'walletAddress'],
      ['/tasks/logs/challenge', 'get', 'address'],
    ]) {
      expect(parameter(path, method, name)).toEqual([
        expect.objectContaining({
          required: true,
          schema: { type: 'string', pattern: '^0[xX][0-9a-fA-F]{40}$' },
        }),
      ]);
    }
  });

  it('serves Swagger UI at /swagger-ui/index.html, pointed at the document', async () => {
    const page = await fetch(`${scheduler.baseUrl}/swagger-ui/index.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="swagger-ui">');
    const init = await fetch(`${scheduler.baseUrl}/swagger-ui/swagger-initializer.js`);
    expect(await init.text()).toContain('url: "/v3/api-docs"');
    const css = await fetch(`${scheduler.baseUrl}/swagger-ui/swagger-ui.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    // Only the files the page loads.
    expect((await fetch(`${scheduler.baseUrl}/swagger-ui/package.json`)).status).toBe(404);
  });

  it('describes the worker answers with schemas the real answers match', async () => {
    // OpenAPI 3.0 schemas (`nullable`): Ajv reads that keyword; unknown formats are not checked.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const schemaOf = (path: string, method: string) => {
      const operation = doc.paths[path][method] as unknown as {
        responses: Record<string, { content: Record<string, { schema: object }> }>;
      };
      return ajv.compile(operation.responses['200'].content['application/json'].schema);
    };
    const worker = new TestWorker(scheduler.baseUrl, generatePrivateKey());
    const token = await worker.login();
    const answers: [string, string, unknown][] = [
      ['/workers/config', 'get', await (await fetch(`${scheduler.baseUrl}/workers/config`)).json()],
      ['/workers/register', 'post', await (await worker.register(token)).json()],
    ];
    for (const [path, method, body] of answers) {
      const validate = schemaOf(path, method);
      expect({ path, valid: validate(body), errors: validate.errors }).toEqual({
        path,
        valid: true,
        errors: null,
      });
      // Not a schema that takes anything: the same answer less one property is refused.
      const { [Object.keys(body as object)[0]]: _dropped, ...less } = body as Record<
        string,
        unknown
      >;
      expect(schemaOf(path, method)(less)).toBe(false);
    }
    for (const path of ['/replicates/available', '/replicates/interrupted']) {
      expect(JSON.stringify(schemaOf(path, 'get').schema)).toContain('workerpoolAuthorization');
    }
  });
});
