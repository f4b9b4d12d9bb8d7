// Bundles the compiled scheduler (dist/main.js and everything it imports, node_modules included)
// into dist/main.js itself. Loading ~1,500 files one by one is most of the boot time on Node 20
// (no compile cache there); one file loads in a fraction of it. Input is tsc's JavaScript, so
// the decorator metadata NestJS needs is already emitted and kept as plain calls.
// Optional packages a dependency probes for at run time (@nestjs/microservices, kerberos…) and
// that are not installed stay external: the probe fails at run time as it would unbundled.
import { cp, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
const entry = join(dist, 'main.js');

/** @type {import('esbuild').Plugin} */
const missingStayExternal = {
  name: 'missing-packages-stay-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'probe') return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'probe',
      });
      return resolved.errors.length > 0 ? { path: args.path, external: true } : resolved;
    });
  },
};

/**
 * `import * as mongoose from 'mongoose'` (in @nestjs/mongoose): bundled, the namespace of a
 * CommonJS module is a copy with the Mongoose prototype and getter-only properties, so
 * `mongoose.createConnection()` takes it for the instance and fails to bump its connection id.
 * Natively it is a module namespace and Mongoose falls back to its singleton; the default import
 * is that singleton, which is what the code means.
 */
const mongooseDefaultImport = {
  name: 'mongoose-default-import',
  setup(b) {
    b.onLoad({ filter: /[\\/]@nestjs[\\/]mongoose[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: source.replaceAll(
          "import * as mongoose from 'mongoose';",
          "import mongoose from 'mongoose';",
        ),
        loader: 'js',
      };
    });
  },
};

const result = await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Nest resolves providers by class and logs class names: keep them.
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  plugins: [missingStayExternal, mongooseDefaultImport],
  metafile: true,
  // CommonJS dependencies inside an ES module still call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
});
const { bytes } =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((o) => o.endsWith('main.js'))];
const external = new Set(
  Object.values(result.metafile.inputs).flatMap((i) =>
    i.imports
      .filter((x) => x.external && !isBuiltin(x.path) && x.path !== '<runtime>')
      .map((x) => x.path),
  ),
);
console.log(
  `bundled dist/main.js: ${(bytes / 1e6).toFixed(1)} MB, ${Object.keys(result.metafile.inputs).length} files; left external: ${[...external].sort().join(', ') || 'none'}`,
);

// Swagger UI's static files (src/openapi/openapi.ts serves them from dist/swagger-ui): the image
// ships no node_modules. Only what the page loads, not the source maps or the ES bundles.
const swaggerUiDist = dirname(
  createRequire(
    join(import.meta.dirname, '..', 'node_modules', '@nestjs', 'swagger', 'package.json'),
  ).resolve('swagger-ui-dist/package.json'),
);
const swaggerUiFiles = [
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'swagger-ui.css',
  'index.css',
  'favicon-32x32.png',
  'LICENSE',
];
for (const file of swaggerUiFiles) {
  await cp(join(swaggerUiDist, file), join(dist, 'swagger-ui', file));
}
console.log(`copied Swagger UI assets to dist/swagger-ui (${swaggerUiFiles.length} files)`);
