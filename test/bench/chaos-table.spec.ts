import {
  chaosTable,
  perTask,
  RECOVERY_TOLERANCE_MS,
  rowVerdict,
  type ScenarioOutcome,
} from '../../bench/chaos/chaos-table.js';

const good: ScenarioOutcome = {
  scenario: 'node down',
  tasks: 20,
  completed: 20,
  abortedReplicates: 0,
  initializePerTask: { min: 1, max: 1 },
  finalizePerTask: { min: 1, max: 1 },
  recoveryMs: 1500,
  recoveryTargetMs: 2000,
  elapsedMs: 60_000,
};

describe('chaos table', () => {
  it('a row is correct only with every task COMPLETED, nothing aborted and one transaction each', () => {
    expect(rowVerdict(good)).toEqual({ correct: true, recoveredInTime: true, recoveredInCi: true });
    expect(rowVerdict({ ...good, completed: 19 }).correct).toBe(false);
    expect(rowVerdict({ ...good, abortedReplicates: 1 }).correct).toBe(false);
    expect(rowVerdict({ ...good, initializePerTask: { min: 1, max: 2 } }).correct).toBe(false);
    expect(rowVerdict({ ...good, finalizePerTask: { min: 0, max: 1 } }).correct).toBe(false);
    expect(rowVerdict({ ...good, failed: 'boot' }).correct).toBe(false);
    expect(rowVerdict({ ...good, recoveryMs: 2500 })).toEqual({
      correct: true,
      recoveredInTime: false,
      recoveredInCi: true,
    });
    // the CI tolerance is RECOVERY_TOLERANCE_MS over the target, not more
    expect(rowVerdict({ ...good, recoveryMs: 2000 + RECOVERY_TOLERANCE_MS }).recoveredInCi).toBe(
      true,
    );
    expect(rowVerdict({ ...good, recoveryMs: 2001 + RECOVERY_TOLERANCE_MS }).recoveredInCi).toBe(
      false,
    );
  });

  it('counts transactions per task, a task never named counting 0', () => {
    expect(perTask(['0xA', '0xb'], ['0xa', '0xB', '0xa', '0xc'])).toEqual({ min: 1, max: 2 });
    expect(perTask(['0xa', '0xb'], ['0xa'])).toEqual({ min: 0, max: 1 });
  });

  it('prints one row per scenario, skipped and failed ones said so', () => {
    const table = chaosTable([
      good,
      { ...good, scenario: 'late', recoveryMs: 2500 },
      { ...good, scenario: 'todo', skipped: 'no hook' },
      { ...good, scenario: 'broke', failed: 'did not boot\nstack' },
    ]);
    expect(table.split('\n')).toEqual([
      expect.stringContaining('| scenario |'),
      '|---|---|---|---|---|---|',
      '| node down | 20/20 | 0 | 1 / 1 | 1.5 s (target 2.0 s) | yes |',
      '| late | 20/20 | 0 | 1 / 1 | 2.5 s (target 2.0 s) | no: recovery late |',
      '| todo | – | – | – | – | skipped: no hook |',
      '| broke | – | – | – | – | no: did not boot |',
    ]);
  });
});
