// Writes dist/build-info.json (build time and commit) for /actuator/info.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(import.meta.dirname, '..', 'dist');
let commit = null;
try {
  commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
} catch {
  // not a git checkout (e.g. inside the Docker build)
}
mkdirSync(dist, { recursive: true });
writeFileSync(join(dist, 'build-info.json'), JSON.stringify({ time: new Date().toISOString(), commit }, null, 2));
