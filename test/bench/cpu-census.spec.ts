import {
  cpuDelta,
  cpuSnapshot,
  cpuTable,
  CpuTally,
  parseProcStat,
  processLabel,
  type CpuSnapshot,
} from '../../bench/support/cpu-census.js';

describe('bench CPU census', () => {
  it('parses a /proc stat line whose command name holds spaces and parentheses', () => {
    const line =
      '4242 (node (worker) x) S 4000 4242 4000 0 -1 4194560 1 0 0 0 150 37 0 0 20 0 11 0 1 2 3';
    expect(parseProcStat(line)).toEqual({ pid: 4242, ppid: 4000, cpuSeconds: 1.87 });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('labels the processes a bench starts', () => {
    expect(processLabel('/usr/bin/node /work/dist/main.js ', false)).toBe('scheduler');
    expect(processLabel('/root/.cache/x/ferretdb-launcher-1 --listen-addr=…', false)).toBe(
      'FerretDB',
    );
    expect(processLabel('/usr/bin/node /work/devstack/chain/launch.mjs --port 1', false)).toBe(
      'chain node',
    );
    expect(processLabel('anything', true)).toMatch(/^bench process/);
    expect(processLabel('/bin/sh -c x', false)).toBe('sh');
  });

  it('sums CPU per label between snapshots, a process started in between from 0', () => {
    const before: CpuSnapshot = new Map([
      [1, { label: 'scheduler', cpuSeconds: 10 }],
      [2, { label: 'chain node', cpuSeconds: 5 }],
    ]);
    const after: CpuSnapshot = new Map([
      [1, { label: 'scheduler', cpuSeconds: 12.5 }],
      [2, { label: 'chain node', cpuSeconds: 5.5 }],
      [3, { label: 'chain node', cpuSeconds: 1 }],
    ]);
    expect(Object.fromEntries(cpuDelta(before, after))).toEqual({
      scheduler: 2.5,
      'chain node': 1.5,
    });
  });

  it('tabulates medians per side, largest first, with the CPU the cores had', () => {
    const scheduler = new CpuTally();
    scheduler.add(
      new Map([
        ['scheduler', 2],
        ['FerretDB', 3],
      ]),
    );
    scheduler.add(
      new Map([
        ['scheduler', 4],
        ['FerretDB', 5],
      ]),
    );
    scheduler.add(
      new Map([
        ['scheduler', 3],
        ['FerretDB', 4],
        ['sh', 0.01],
      ]),
    );
    const direct = new CpuTally();
    direct.add(new Map([['chain node', 1]]));
    expect(
      cpuTable(
        {
          sched: { tally: scheduler, durationMs: 5000 },
          direct: { tally: direct, durationMs: 1500 },
        },
        2,
      ),
    ).toEqual([
      '| process | sched | direct |',
      '| --- | --- | --- |',
      '| FerretDB | 4.00 s | 0.00 s |',
      '| scheduler | 3.00 s | 0.00 s |',
      '| chain node | 0.00 s | 1.00 s |',
      // the total keeps the processes too small for a row of their own (sh, 0.01 s)
      '| all of them | 7.01 s | 1.00 s |',
      "| CPU the 2 cores had over the side's median duration | 10.00 s | 3.00 s |",
    ]);
  });

  it('finds this test process in a live snapshot (Linux)', () => {
    if (process.platform !== 'linux') return;
    const own = cpuSnapshot().get(process.pid);
    expect(own?.label).toMatch(/^bench process/);
    expect(own!.cpuSeconds).toBeGreaterThan(0);
  });
});
