import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staleReason } from './scheduler-build.js';

describe('staleReason (e2e setup builds the scheduler when needed)', () => {
  let root: string;
  const at = (path: string, seconds: number) => utimesSync(join(root, path), seconds, seconds);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'scheduler-build-'));
    mkdirSync(join(root, 'src', 'task'), { recursive: true });
    writeFileSync(join(root, 'src', 'task', 'task.ts'), '');
    writeFileSync(join(root, 'package.json'), '{}');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('asks for a build on a clone that was never built', () => {
    expect(staleReason(root)).toBe('dist/main.js is missing');
  });

  it('asks for a build when a source file is newer than dist/main.js', () => {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'main.js'), '');
    for (const path of ['src', 'src/task', 'package.json']) at(path, 1000);
    at('dist/main.js', 2000);
    at('src/task/task.ts', 3000);
    expect(staleReason(root)).toBe('src changed since the last build');
  });

  it('leaves an up-to-date build alone', () => {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'main.js'), '');
    for (const path of ['src', 'src/task', 'src/task/task.ts', 'package.json']) at(path, 1000);
    at('dist/main.js', 2000);
    expect(staleReason(root)).toBeNull();
  });
});
