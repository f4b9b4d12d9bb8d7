// The e2e tests run the built scheduler (dist/main.js), as operators do. `npm test` on a clone
// that was never built, or whose sources changed since the last build, builds it first so the
// README's test command works as written.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts'];

/** Newest modification time (ms) of a file or of any file under a directory. */
function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why `root`'s dist/main.js must be (re)built, or null when it is up to date. */
export function staleReason(root = ROOT) {
  const mainJs = join(root, 'dist', 'main.js');
  if (!existsSync(mainJs)) return 'dist/main.js is missing';
  const built = statSync(mainJs).mtimeMs;
  const changed = INPUTS.find((input) => newestMtime(join(root, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

/** Runs `npm run build` when dist/main.js is missing or older than its sources. */
export async function ensureSchedulerBuilt() {
  const reason = staleReason();
  if (!reason) return;
  process.stderr.write(`\ne2e setup: ${reason}, running npm run build\n`);
  let output = '';
  const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
}
