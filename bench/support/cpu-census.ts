// CPU seconds used by the bench process and every process it started (scheduler, chain node,
// FerretDB…) over a window, from /proc: on two cores all of them share the CPU the scheduler
// is measured on, and this says how much each took. Linux only; elsewhere the census is empty.
import { readdirSync, readFileSync } from 'node:fs';
import { median } from './env.js';

/** Linux's USER_HZ: /proc times are in 1/100 s on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in seconds. */
  cpuSeconds: number;
}

/** One `/proc/<pid>/stat` line; the command name may hold spaces and parentheses. */
export function parseProcStat(line: string): ProcStat | undefined {
  const close = line.lastIndexOf(')');
  if (close < 0) return undefined;
  const pid = Number(line.slice(0, line.indexOf(' ')));
  // after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
  const fields = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const ppid = Number(fields[1]);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (![pid, ppid, utime, stime].every(Number.isFinite)) return undefined;
  return { pid, ppid, cpuSeconds: (utime + stime) / TICKS_PER_SECOND };
}

/** What a process is, from its command line. */
export function processLabel(cmdline: string, isRoot: boolean): string {
  if (isRoot) return 'bench process (fleet, stand-ins, direct side)';
  if (cmdline.includes('dist/main.js')) return 'scheduler';
  if (/ferretdb/i.test(cmdline)) return 'FerretDB';
  if (/launch\.mjs|hardhat/.test(cmdline)) return 'chain node';
  return cmdline.split(/\s+/)[0]?.split('/').pop() || 'other';
}

export type CpuSnapshot = Map<number, { label: string; cpuSeconds: number }>;

/** CPU seconds per label between two snapshots; processes started in between count from 0. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Map<string, number> {
  const byLabel = new Map<string, number>();
  for (const [pid, now] of after) {
    const used = now.cpuSeconds - (before.get(pid)?.cpuSeconds ?? 0);
    byLabel.set(now.label, (byLabel.get(now.label) ?? 0) + used);
  }
  return byLabel;
}

/** The bench process and its descendants, with their CPU seconds so far. */
export function cpuSnapshot(root = process.pid): CpuSnapshot {
  const stats = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return new Map();
  }
  for (const entry of entries) {
    try {
      const stat = parseProcStat(readFileSync(`/proc/${entry}/stat`, 'utf8'));
      if (stat) stats.set(stat.pid, stat);
    } catch {
      // the process ended while the list was read
    }
  }
  const snapshot: CpuSnapshot = new Map();
  for (const stat of stats.values()) {
    let ancestor: ProcStat | undefined = stat;
    while (ancestor && ancestor.pid !== root) ancestor = stats.get(ancestor.ppid);
    if (!ancestor) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${stat.pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    snapshot.set(stat.pid, {
      label: processLabel(cmdline, stat.pid === root),
      cpuSeconds: stat.cpuSeconds,
    });
  }
  return snapshot;
}

/** CPU seconds per process label over several runs of one side of a bench. */
export class CpuTally {
  private readonly runs: Map<string, number>[] = [];

  add(run: Map<string, number>): void {
    this.runs.push(run);
  }

  /** Median CPU seconds per run for `label` (0 for a run without it). */
  median(label: string): number {
    return median(this.runs.map((run) => run.get(label) ?? 0));
  }

  labels(): string[] {
    return [...new Set(this.runs.flatMap((run) => [...run.keys()]))];
  }

  /** Median over runs of the CPU seconds of all processes together. */
  total(): number {
    return median(this.runs.map((run) => [...run.values()].reduce((a, b) => a + b, 0)));
  }
}

/**
 * Markdown rows: CPU seconds per run of each process, one column per side, and the CPU the
 * machine had over each side's median duration (`cores` × duration).
 */
export function cpuTable(
  sides: Record<string, { tally: CpuTally; durationMs: number }>,
  cores: number,
): string[] {
  const names = Object.keys(sides);
  const labels = [...new Set(names.flatMap((n) => sides[n].tally.labels()))]
    .map((label) => ({ label, cpu: Math.max(...names.map((n) => sides[n].tally.median(label))) }))
    .filter((row) => row.cpu >= 0.05)
    .sort((a, b) => b.cpu - a.cpu)
    .map((row) => row.label);
  const cell = (x: number) => `${x.toFixed(2)} s`;
  return [
    `| process | ${names.join(' | ')} |`,
    `| --- |${' --- |'.repeat(names.length)}`,
    ...labels.map(
      (label) =>
        `| ${label} | ${names.map((n) => cell(sides[n].tally.median(label))).join(' | ')} |`,
    ),
    `| all of them | ${names.map((n) => cell(sides[n].tally.total())).join(' | ')} |`,
    `| CPU the ${cores} cores had over the side's median duration | ${names
      .map((n) => cell((cores * sides[n].durationMs) / 1000))
      .join(' | ')} |`,
  ];
}
