// `npm test`. With no argument: the two phases of jest.config.js, `shared` (every suite but the
// solo ones, two Jest workers) then `solo` (one at a time), both run even when the first fails,
// then one summary of both. With arguments (`npm test -- --selectProjects unit`): one Jest run
// with them and everything they select.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JEST = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
];

// Ctrl-C or a CI timeout reaches the Jest run in progress.
let running;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => running?.kill(signal));

/** Runs Jest with `args` (and `phase` as IEXEC_TEST_PHASE); resolves to its exit code. */
function jest(args, phase) {
  const env = { ...process.env };
  if (phase) env.IEXEC_TEST_PHASE = phase;
  const child = spawn(process.execPath, [...JEST, ...args], { stdio: 'inherit', env });
  running = child;
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
  );
}

/** Jest's counts from its --json output; undefined when it wrote none (it crashed first). */
function countsOf(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function line(label, failed, passed, total) {
  const parts = [failed > 0 ? `${failed} failed` : '', passed > 0 ? `${passed} passed` : ''];
  return `${label.padEnd(13)}${[...parts.filter(Boolean), `${total} total`].join(', ')}`;
}

async function bothPhases() {
  const dir = mkdtempSync(join(tmpdir(), 'iexec-test-'));
  const phases = [];
  try {
    for (const phase of ['shared', 'solo']) {
      const outputFile = join(dir, `${phase}.json`);
      const started = performance.now();
      const code = await jest(['--json', `--outputFile=${outputFile}`], phase);
      const seconds = (performance.now() - started) / 1000;
      phases.push({ phase, code, seconds, counts: countsOf(outputFile) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const sum = (key) => phases.reduce((n, p) => n + (p.counts?.[key] ?? 0), 0);
  const seconds = phases.reduce((n, p) => n + p.seconds, 0);
  const described = phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s (exit ${p.code})`);
  process.stdout.write(
    [
      '',
      `== npm test, both phases: ${described.join(', ')}`,
      line(
        'Test Suites:',
        sum('numFailedTestSuites'),
        sum('numPassedTestSuites'),
        sum('numTotalTestSuites'),
      ),
      line('Tests:', sum('numFailedTests'), sum('numPassedTests'), sum('numTotalTests')),
      `Time:        ${seconds.toFixed(3)} s`,
      '',
    ].join('\n'),
  );
  const missing = phases.filter((p) => !p.counts).map((p) => p.phase);
  if (missing.length > 0) process.stdout.write(`no Jest results from: ${missing.join(', ')}\n`);
  return phases.every((p) => p.code === 0 && p.counts) ? 0 : 1;
}

const args = process.argv.slice(2);
process.exitCode =
  args.length > 0 || process.env.IEXEC_TEST_PHASE ? await jest(args) : await bothPhases();
