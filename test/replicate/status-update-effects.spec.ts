import { ChainContributionStatus as CS } from '../../src/chain/chain-status.js';
import {
  REPLICATE_STATUSES,
  ReplicateStatus as S,
  ReplicateStatusCause as C,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import {
  normalizeWorkerUpdate,
  replicateUpdateReactions,
  statusUpdateEffects,
} from '../../src/replicate/status-update-rules.js';

const HASH = '0x' + 'cd'.repeat(32);
const NOW = new Date('2024-06-19T08:15:30.123Z');
const logs = { walletAddress: '0xspoofed', stdout: 'out', stderr: 'err' };

describe('normalization (§7.2 step 3, edge 26)', () => {
  it('forces modifier WORKER, date now and the compute-log wallet to the caller', () => {
    const n = normalizeWorkerUpdate(
      { status: S.COMPUTED, details: { computeLogs: logs, cause: undefined } },
      '0xcaller',
      NOW,
    );
    expect(n).toEqual({
      status: S.COMPUTED,
      modifier: ReplicateStatusModifier.WORKER,
      date: NOW,
      details: {
        computeLogs: { walletAddress: '0xcaller', stdout: 'out', stderr: 'err' },
        cause: undefined,
      },
    });
    expect(logs.walletAddress).toBe('0xspoofed'); // input untouched
  });

  it('keeps a missing details object missing', () => {
    expect(normalizeWorkerUpdate({ status: S.STARTING, details: null }, '0xcaller', NOW)).toEqual({
      status: S.STARTING,
      modifier: ReplicateStatusModifier.WORKER,
      date: NOW,
    });
  });
});

describe('effects of an accepted update (§7.4)', () => {
  it('CONTRIBUTED stores the on-chain result hash and weight, never the worker claim (edge 28)', () => {
    const e = statusUpdateEffects(
      { status: S.CONTRIBUTED, details: { chainReceipt: { blockNumber: 42, txHash: '0x1' } } },
      { onChainContribution: { status: CS.CONTRIBUTED, resultHash: HASH }, workerWeight: 7 },
    );
    expect(e.fields).toEqual({ contributionHash: HASH, workerWeight: 7 });
    expect(e.storedDetails).toEqual({ chainReceipt: { blockNumber: 42, txHash: '0x1' } });
  });

  it('REVEALED never sets contributionHash (edge 34)', () => {
    const e = statusUpdateEffects(
      { status: S.REVEALED, details: { chainReceipt: { blockNumber: 43 } } },
      { onChainContribution: { status: CS.REVEALED, resultHash: HASH }, workerWeight: 7 },
    );
    expect(e.fields).toEqual({});
  });

  it('RESULT_UPLOADED takes link and callback data from the details (edge 38)', () => {
    const e = statusUpdateEffects(
      { status: S.RESULT_UPLOADED, details: { resultLink: '/ipfs/Qm', chainCallbackData: '0x01' } },
      {},
    );
    expect(e.fields).toEqual({ resultLink: '/ipfs/Qm', chainCallbackData: '0x01' });
  });

  it('CONTRIBUTE_AND_FINALIZE_DONE takes the link from the on-chain results (edge 38)', () => {
    const e = statusUpdateEffects(
      {
        status: S.CONTRIBUTE_AND_FINALIZE_DONE,
        details: { resultLink: 'worker-claim', chainCallbackData: '0x02' },
      },
      {
        onChainContribution: { status: CS.REVEALED, resultHash: HASH },
        workerWeight: 2,
        chainResultsText: '/ipfs/QmChain',
      },
    );
    expect(e.fields).toEqual({
      contributionHash: HASH,
      workerWeight: 2,
      resultLink: '/ipfs/QmChain',
      chainCallbackData: '0x02',
    });
  });

  it('RESULT_UPLOAD_FAILED reads nothing extra (edge 38)', () => {
    expect(
      statusUpdateEffects(
        { status: S.RESULT_UPLOAD_FAILED, details: { cause: C.RESULT_LINK_MISSING } },
        {},
      ).fields,
    ).toEqual({});
  });

  it('compute logs never stay in the stored history (they go to taskLogs, edge 29)', () => {
    expect(
      statusUpdateEffects({ status: S.COMPUTED, details: { computeLogs: logs } }, {}).storedDetails,
    ).toEqual({});
    const failed = statusUpdateEffects(
      {
        status: S.COMPUTE_FAILED,
        details: { cause: C.APP_COMPUTE_FAILED, exitCode: 3, computeLogs: logs },
      },
      {},
    );
    expect(failed.storedDetails).toEqual({ cause: C.APP_COMPUTE_FAILED, exitCode: 3 });
    const other = statusUpdateEffects(
      {
        status: S.COMPUTE_FAILED,
        details: { cause: C.POST_COMPUTE_FAILED_UNKNOWN_ISSUE, computeLogs: logs },
      },
      {},
    );
    expect(other.storedDetails).toEqual({ cause: C.POST_COMPUTE_FAILED_UNKNOWN_ISSUE });
    expect(statusUpdateEffects({ status: S.COMPUTED }, {})).toEqual({
      fields: {},
      storedDetails: undefined,
    });
  });
});

describe('listener decisions (§11.2, edge 43)', () => {
  const freeing = [
    S.START_FAILED,
    S.APP_DOWNLOAD_FAILED,
    S.DATA_DOWNLOAD_FAILED,
    S.COMPUTED,
    S.COMPUTE_FAILED,
  ];
  it.each(REPLICATE_STATUSES)('%s', (status) => {
    // No FAILED is appended after an uncompletable status (iexec-core 9.2 #767): exactly these.
    expect(replicateUpdateReactions({ status })).toEqual({
      requestTaskUpdate: true,
      freeComputingSlot: freeing.includes(status),
      removeTaskFromWorker: status === S.COMPLETED || status === S.FAILED,
      triggerContributionUnnotifiedScan: false,
    });
  });

  it('only cause TASK_NOT_ACTIVE triggers the on-chain contribution scan', () => {
    expect(
      replicateUpdateReactions({ status: S.ABORTED, details: { cause: C.TASK_NOT_ACTIVE } })
        .triggerContributionUnnotifiedScan,
    ).toBe(true);
    expect(
      replicateUpdateReactions({ status: S.ABORTED, details: { cause: C.CONSENSUS_REACHED } })
        .triggerContributionUnnotifiedScan,
    ).toBe(false);
    expect(
      replicateUpdateReactions({ status: S.ABORTED, details: { cause: undefined } })
        .triggerContributionUnnotifiedScan,
    ).toBe(false);
    expect(
      replicateUpdateReactions({ status: S.ABORTED, details: null })
        .triggerContributionUnnotifiedScan,
    ).toBe(false);
  });
});
