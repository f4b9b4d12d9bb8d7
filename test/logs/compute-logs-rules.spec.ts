import {
  capturesComputeLogs,
  computeLogsToStore,
  MAX_LOG_LENGTH,
  tailLog,
  toComputeLogsModel,
  toTaskLogsModel,
} from '../../src/logs/compute-logs-rules.js';
import {
  REPLICATE_STATUSES,
  ReplicateStatus,
  ReplicateStatusCause,
} from '../../src/replicate/replicate-status.js';

const WALLET = '0x1a69b2eb604db8eba185df03ea4f5288dcbbd248';

describe('tailLog', () => {
  it('keeps short logs whole and the last 100,000 characters of long ones', () => {
    expect(MAX_LOG_LENGTH).toBe(100_000);
    expect(tailLog('')).toBe('');
    expect(tailLog('abc')).toBe('abc');
    const exact = 'a'.repeat(100_000);
    expect(tailLog(exact)).toBe(exact);
    expect(tailLog('HEAD' + 'b'.repeat(99_999) + 'END')).toBe('b'.repeat(99_997) + 'END');
  });

  it('does not start on the second half of a surrogate pair', () => {
    const text = 'x' + '😀' + 'c'.repeat(99_999); // the cut falls inside the emoji
    const tail = tailLog(text)!;
    expect(tail).toBe('c'.repeat(99_999));
  });

  it('passes null and undefined through as undefined', () => {
    expect(tailLog(null)).toBeUndefined();
    expect(tailLog(undefined)).toBeUndefined();
  });
});

describe('capturesComputeLogs', () => {
  it('captures COMPUTED whatever the cause, and COMPUTE_FAILED only with APP_COMPUTE_FAILED', () => {
    expect(capturesComputeLogs(ReplicateStatus.COMPUTED, undefined)).toBe(true);
    expect(capturesComputeLogs(ReplicateStatus.COMPUTED, ReplicateStatusCause.UNKNOWN)).toBe(true);
    expect(
      capturesComputeLogs(ReplicateStatus.COMPUTE_FAILED, ReplicateStatusCause.APP_COMPUTE_FAILED),
    ).toBe(true);
    expect(
      capturesComputeLogs(ReplicateStatus.COMPUTE_FAILED, ReplicateStatusCause.APP_COMPUTE_TIMEOUT),
    ).toBe(false);
    expect(capturesComputeLogs(ReplicateStatus.COMPUTE_FAILED, null)).toBe(false);
    const others = REPLICATE_STATUSES.filter(
      (s) => s !== ReplicateStatus.COMPUTED && s !== ReplicateStatus.COMPUTE_FAILED,
    );
    for (const s of others)
      expect([s, capturesComputeLogs(s, ReplicateStatusCause.APP_COMPUTE_FAILED)]).toEqual([
        s,
        false,
      ]);
  });
});

describe('computeLogsToStore', () => {
  it('forces the wallet to the authenticated worker and tails both streams', () => {
    expect(
      computeLogsToStore(WALLET, ReplicateStatus.COMPUTED, null, {
        walletAddress: '0xsomeoneelse',
        stdout: 'o'.repeat(100_005),
        stderr: 'err',
      }),
    ).toEqual({ walletAddress: WALLET, stdout: 'o'.repeat(100_000), stderr: 'err' });
  });

  it('drops null streams and stores nothing for null logs or a non-capturing update', () => {
    expect(
      computeLogsToStore(WALLET, ReplicateStatus.COMPUTED, null, { stdout: null, stderr: 'e' }),
    ).toEqual({
      walletAddress: WALLET,
      stderr: 'e',
    });
    expect(computeLogsToStore(WALLET, ReplicateStatus.COMPUTED, null, null)).toBeUndefined();
    expect(computeLogsToStore(WALLET, ReplicateStatus.COMPUTED, null, undefined)).toBeUndefined();
    expect(
      computeLogsToStore(WALLET, ReplicateStatus.CONTRIBUTED, null, { stdout: 'x' }),
    ).toBeUndefined();
  });
});

describe('read models', () => {
  it('omit null and empty properties', () => {
    expect(toComputeLogsModel({ walletAddress: WALLET, stdout: '', stderr: undefined })).toEqual({
      walletAddress: WALLET,
    });
    expect(toComputeLogsModel({ walletAddress: WALLET, stdout: 'o', stderr: 'e' })).toEqual({
      walletAddress: WALLET,
      stdout: 'o',
      stderr: 'e',
    });
    expect(toTaskLogsModel('0xtask', [{ walletAddress: WALLET, stdout: 'o' }])).toEqual({
      chainTaskId: '0xtask',
      computeLogsList: [{ walletAddress: WALLET, stdout: 'o' }],
    });
  });
});
