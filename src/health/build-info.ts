import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

let cached: BuildInfo | undefined;

/** Name and version from package.json; build time from dist/build-info.json (written by `npm run build`). */
export function buildInfo(): BuildInfo {
  if (cached) return cached;
  const root = join(import.meta.dirname, '..', '..');
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
