// `npm run chaos -- --lanes N`: the scenarios split over N child runs of bench/chaos.ts, each
// with a chain and a FerretDB of its own (one chain shared by two lanes would race the nonces of
// its accounts: worker stakes, requester, scheduler wallet). Most of a scenario's time is spent
// waiting for 1 s blocks, so two lanes take about half the wall time on 2 cores.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioOutcome } from './chaos-table.js';

/**
 * Scenario indexes per lane: longest first, each to the lane with the least expected time, so
 * the lanes end about together. Every index appears exactly once; lanes keep table order.
 */
export function partitionLanes(expectedSeconds: readonly number[], lanes: number): number[][] {
  const count = Math.max(1, Math.min(lanes, expectedSeconds.length));
  const split = Array.from({ length: count }, () => ({ total: 0, indexes: [] as number[] }));
  const longestFirst = expectedSeconds.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  for (const [seconds, index] of longestFirst) {
    const lane = split.reduce((least, l) => (l.total < least.total ? l : least));
    lane.total += seconds;
    lane.indexes.push(index);
  }
  return split.map((l) => l.indexes.sort((a, b) => a - b));
}

/** Runs each lane as `bench/chaos.ts --indexes …` and returns every outcome in table order. */
export async function runLanes(
  lanes: number[][],
  tasks: number,
  log: (message: string) => void,
): Promise<ScenarioOutcome[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iexec-chaos-lanes-'));
  try {
    const results = await Promise.all(
      lanes.map(async (indexes, lane) => {
        const json = join(dir, `lane-${lane}.json`);
        const args = [
          '--import',
          './bench/support/ts-register.mjs',
          'bench/chaos.ts',
          '--tasks',
          String(tasks),
          '--indexes',
          indexes.join(','),
          '--json',
          json,
        ];
        const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        const prefix = (b: Buffer) =>
          b
            .toString()
            .split('\n')
            .filter((line) => line.trim() !== '')
            .forEach((line) => log(`lane ${lane + 1}: ${line.replace(/^\[chaos\] /, '')}`));
        child.stderr.on('data', prefix);
        child.stdout.on('data', () => undefined); // each lane's own table: the merged one is printed
        const code = await new Promise<number | null>((resolve, reject) => {
          child.once('error', reject);
          child.once('exit', resolve);
        });
        let outcomes: { index: number; outcome: ScenarioOutcome }[];
        try {
          outcomes = JSON.parse(readFileSync(json, 'utf8')) as typeof outcomes;
        } catch (error) {
          throw new Error(
            `chaos lane ${lane + 1} (exit ${code}) left no outcomes: ${String(error)}`,
          );
        }
        return outcomes;
      }),
    );
    return results
      .flat()
      .sort((a, b) => a.index - b.index)
      .map((r) => r.outcome);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
