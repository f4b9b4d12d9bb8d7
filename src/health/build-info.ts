import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BuildInfo {
  artifact: string;
  name: string;
  version: string;
  group: string;
  time: string | null;
}

function readJson(path: string): Record<string, unknown> | undefined {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** The nearest folder holding package.json: this file runs from src/, from dist/ or bundled in dist/main.js. */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

let cached: BuildInfo | undefined;

/** Name and version from package.json; build time from dist/build-info.json (written by `npm run build`). */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const root = projectRoot(import.meta.dirname);
  const pkg = readJson(join(root, 'package.json')) ?? {};
  const built = readJson(join(root, 'dist', 'build-info.json')) ?? {};
  cached = {
    artifact: String(pkg.name ?? 'iexec-core-ts'),
    name: String(pkg.name ?? 'iexec-core-ts'),
    version: String(pkg.version ?? '0.0.0'),
    group: 'com.iexec.core',
    time: typeof built.time === 'string' ? built.time : null,
  };
  return cached;
}
