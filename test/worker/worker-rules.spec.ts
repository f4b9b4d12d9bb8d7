import {
  aliveWorkerMetrics,
  hasCapacity,
  isDemandAccepted,
  livenessOf,
  maxNbTasksOf,
  resumeLastPings,
} from '../../src/worker/worker-rules.js';

describe('worker rules', () => {
  const now = 10_000_000;

  describe('R1 throttle (period 5 s, 500 ms slack)', () => {
    it('accepts the first demand', () => {
      expect(isDemandAccepted(undefined, now, 5000)).toBe(true);
    });

    it('refuses a demand 1 s after the previous one', () => {
      expect(isDemandAccepted(now - 1000, now, 5000)).toBe(false);
    });

    it('refuses while (now − last) + 500 ≤ period, accepts right after', () => {
      expect(isDemandAccepted(now - 4500, now, 5000)).toBe(false);
      expect(isDemandAccepted(now - 4501, now, 5000)).toBe(true);
      expect(isDemandAccepted(now - 5000, now, 5000)).toBe(true);
    });
  });

  describe('liveness', () => {
    it('is alive under 60 s, lost over 60 s, neither without a ping (or at exactly 60 s)', () => {
      expect(livenessOf(now, now)).toBe('alive');
      expect(livenessOf(now - 59_999, now)).toBe('alive');
      expect(livenessOf(now - 60_000, now)).toBe('unknown');
      expect(livenessOf(now - 60_001, now)).toBe('lost');
      expect(livenessOf(undefined, now)).toBe('unknown');
    });

    it('resumes persisted pings with the downtime taken out', () => {
      const persisted = new Map([
        ['recent', now - 10_000],
        ['older', now - 40_000],
        ['lost', now - 200_000],
      ]);
      const boot = now + 3_600_000; // down for an hour
      const resumed = resumeLastPings(persisted, boot);
      expect(resumed.get('recent')).toBe(boot);
      expect(livenessOf(resumed.get('older'), boot)).toBe('alive');
      expect(boot - resumed.get('older')!).toBe(30_000);
      expect(livenessOf(resumed.get('lost'), boot)).toBe('lost');
      expect(resumeLastPings(new Map([['future', boot + 5000]]), boot).get('future')).toBe(boot);
      expect(resumeLastPings(new Map(), boot).size).toBe(0);
    });
  });

  describe('capacity', () => {
    it('gives GPU workers one slot and CPU workers one per CPU', () => {
      expect(maxNbTasksOf({ gpuEnabled: true, cpuNb: 8 })).toBe(1);
      expect(maxNbTasksOf({ gpuEnabled: false, cpuNb: 8 })).toBe(8);
    });

    it('accepts while computing < maxNbTasks, refuses at equality', () => {
      expect(hasCapacity({ maxNbTasks: 2, computingChainTaskIds: ['a'] })).toBe(true);
      expect(hasCapacity({ maxNbTasks: 2, computingChainTaskIds: ['a', 'b'] })).toBe(false);
      expect(hasCapacity({ maxNbTasks: 0, computingChainTaskIds: [] })).toBe(false);
    });
  });

  describe('alive worker metrics (§9.4)', () => {
    it('is all zeros without alive workers', () => {
      expect(aliveWorkerMetrics([])).toEqual({
        aliveWorkers: 0,
        aliveTotalCpu: 0,
        aliveAvailableCpu: 0,
        aliveTotalGpu: 0,
        aliveAvailableGpu: 0,
      });
    });

    it('counts CPUs of non-GPU workers and GPU workers without a computing task', () => {
      const cpu = (cpuNb: number, computing: number) => ({
        cpuNb,
        gpuEnabled: false,
        computingChainTaskIds: Array.from({ length: computing }, (_, i) => `t${i}`),
      });
      const gpu = (computing: number) => ({ ...cpu(4, computing), gpuEnabled: true });
      expect(aliveWorkerMetrics([cpu(4, 1), cpu(8, 3), gpu(0), gpu(1)])).toEqual({
        aliveWorkers: 4,
        aliveTotalCpu: 12,
        aliveAvailableCpu: 8,
        aliveTotalGpu: 2,
        aliveAvailableGpu: 1,
      });
    });
  });
});
