import { ChainContributionStatus as CS, ChainTaskStatus } from '../../src/chain/chain-status.js';
import { TaskNotificationType as N } from '../../src/notification/task-notification-type.js';
import {
  REPLICATE_STATUSES,
  ReplicateStatus as S,
  ReplicateStatusModifier,
} from '../../src/replicate/replicate-status.js';
import {
  isDeferrableUpdate,
  progressGap,
  ReplicateStatusUpdateError as E,
  StatusUpdateFacts,
  statusUpdateAnswer,
  deferIfClaimPending,
  validateStatusUpdate,
  verificationFactsNeeded,
} from '../../src/replicate/status-update-rules.js';
import { replicate } from '../support/replicates.js';

const ZERO = '0x0000000000000000000000000000000000000000';
const CALLBACK = '0x1234567890abcdef1234567890abcdef12345678';
const HASH = '0x' + 'ab'.repeat(32);
const standard = { isTeeTask: false, trust: 1, callback: ZERO, resultStorageProvider: 'ipfs' };
const callbackTask = { ...standard, callback: CALLBACK };
const up = (status: S, details: Record<string, unknown> = {}) => ({ status, details });

const contributing = replicate([
  S.CREATED,
  S.STARTING,
  S.STARTED,
  S.COMPUTING,
  S.COMPUTED,
  S.CONTRIBUTING,
]);
const revealing = replicate([S.CREATED, S.COMPUTED, S.CONTRIBUTING, S.CONTRIBUTED, S.REVEALING]);
const uploading = replicate([S.CREATED, S.REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOADING]);
const cafOngoing = replicate([S.CREATED, S.COMPUTED, S.CONTRIBUTE_AND_FINALIZE_ONGOING]);

const contributedFacts: StatusUpdateFacts = {
  description: standard,
  blockAvailable: true,
  onChainContribution: { status: CS.CONTRIBUTED, resultHash: HASH },
  workerWeight: 3,
};

describe('validation order (§7.2 step 5, edge 27)', () => {
  it('unknown replicate', () => {
    expect(validateStatusUpdate(undefined, up(S.STARTING), {})).toBe(E.UNKNOWN_REPLICATE);
    expect(validateStatusUpdate(null, up(S.STARTING), {})).toBe(E.UNKNOWN_REPLICATE);
  });

  it('already reported before the transition check (re-sending an older status)', () => {
    const r = replicate([S.CREATED, S.STARTING, S.STARTED]);
    expect(validateStatusUpdate(r, up(S.STARTED), {})).toBe(E.ALREADY_REPORTED);
    expect(validateStatusUpdate(r, up(S.STARTING), {})).toBe(E.ALREADY_REPORTED);
    const lost = replicate([S.CREATED, S.WORKER_LOST, S.STARTING]);
    expect(validateStatusUpdate(lost, up(S.WORKER_LOST), {})).toBe(E.ALREADY_REPORTED);
    const recovering = replicate([S.CREATED, S.RECOVERING]);
    expect(validateStatusUpdate(recovering, up(S.RECOVERING), {})).toBe(E.ALREADY_REPORTED);
  });

  it('a failure of a step already succeeded is already reported, not refused (a notification run twice)', () => {
    const revealed = replicate([
      S.CREATED,
      S.CONTRIBUTED,
      S.REVEALING,
      S.REVEALED,
      S.RESULT_UPLOAD_REQUESTED,
    ]);
    expect(validateStatusUpdate(revealed, up(S.REVEAL_FAILED), {})).toBe(E.ALREADY_REPORTED);
    expect(validateStatusUpdate(revealed, up(S.CONTRIBUTE_FAILED), {})).toBe(E.ALREADY_REPORTED);
    expect(statusUpdateAnswer({ error: E.ALREADY_REPORTED })).toEqual({
      httpStatus: 208,
      body: N.PLEASE_WAIT,
    });
    // a step that did not succeed: still the workflow's rule
    expect(validateStatusUpdate(revealed, up(S.RESULT_UPLOAD_FAILED), {})).toBe(
      E.BAD_WORKFLOW_TRANSITION,
    );
    const contributing = replicate([S.CREATED, S.CONTRIBUTING]);
    expect(validateStatusUpdate(contributing, up(S.REVEAL_FAILED), {})).toBe(
      E.BAD_WORKFLOW_TRANSITION,
    );
  });

  it('bad workflow transition (CONTRIBUTED → REVEALED skipping REVEALING, edge 31)', () => {
    const r = replicate([S.CREATED, S.CONTRIBUTING, S.CONTRIBUTED]);
    expect(validateStatusUpdate(r, up(S.REVEALED), { blockAvailable: true })).toBe(
      E.BAD_WORKFLOW_TRANSITION,
    );
    expect(validateStatusUpdate(replicate([]), up(S.STARTING), {})).toBe(E.BAD_WORKFLOW_TRANSITION);
  });

  it('[deviation] a report after progress statuses a crash lost is accepted, nothing else skipped is', () => {
    const created = replicate([S.CREATED]);
    expect(progressGap(created, S.COMPUTED)).toStrictEqual([
      S.STARTING,
      S.STARTED,
      S.APP_DOWNLOADING,
      S.APP_DOWNLOADED,
      S.DATA_DOWNLOADING,
      S.DATA_DOWNLOADED,
      S.COMPUTING,
    ]);
    expect(validateStatusUpdate(created, up(S.COMPUTED), { description: standard })).toBe(
      E.NO_ERROR,
    );
    expect(progressGap(replicate([S.CREATED, S.STARTING]), S.APP_DOWNLOADING)).toStrictEqual([
      S.STARTED,
    ]);
    // a valid transition needs no filling
    expect(progressGap(replicate([S.CREATED]), S.STARTING)).toStrictEqual([]);
    // COMPUTED is never deferred, so it is never taken as lost
    const computing = replicate([S.CREATED, S.COMPUTING]);
    expect(progressGap(computing, S.CONTRIBUTING)).toStrictEqual([]);
    expect(validateStatusUpdate(computing, up(S.CONTRIBUTING), {})).toBe(E.BAD_WORKFLOW_TRANSITION);
    expect(progressGap(replicate([S.CREATED, S.RECOVERING]), S.COMPUTED)).toStrictEqual([]);
  });

  it('defers worker progress reports without details only', () => {
    const at = new Date();
    const report = (status: S, details?: object) => ({
      status,
      modifier: ReplicateStatusModifier.WORKER,
      date: at,
      ...(details ? { details } : {}),
    });
    expect(isDeferrableUpdate(report(S.STARTING))).toBe(true);
    expect(isDeferrableUpdate(report(S.COMPUTING))).toBe(true);
    expect(isDeferrableUpdate(report(S.COMPUTED))).toBe(false);
    expect(isDeferrableUpdate(report(S.CONTRIBUTING))).toBe(false);
    expect(isDeferrableUpdate(report(S.STARTED, { cause: 'x' }))).toBe(false);
    // details without a value (a DTO with every field absent) are no details
    expect(isDeferrableUpdate(report(S.STARTED, { cause: undefined, errorMessage: null }))).toBe(
      true,
    );
    const byScheduler = { ...report(S.STARTING), modifier: ReplicateStatusModifier.POOL_MANAGER };
    expect(isDeferrableUpdate(byScheduler)).toBe(false);
  });

  it('COMPUTED without task description → UNKNOWN_TASK; with one → accepted (edge 37)', () => {
    const r = replicate([S.CREATED, S.COMPUTING]);
    expect(validateStatusUpdate(r, up(S.COMPUTED), {})).toBe(E.UNKNOWN_TASK);
    expect(validateStatusUpdate(r, up(S.COMPUTED), { description: null })).toBe(E.UNKNOWN_TASK);
    expect(validateStatusUpdate(r, up(S.COMPUTED), { description: standard })).toBe(E.NO_ERROR);
  });

  it('statuses without extra checks are accepted', () => {
    const r = replicate([S.CREATED]);
    expect(validateStatusUpdate(r, up(S.STARTING), {})).toBe(E.NO_ERROR);
    expect(validateStatusUpdate(cafOngoing, up(S.CONTRIBUTE_AND_FINALIZE_FAILED), {})).toBe(
      E.NO_ERROR,
    );
  });
});

describe('per-status verification (§7.3)', () => {
  it('CONTRIBUTE_FAILED and REVEAL_FAILED are always refused (edge 37)', () => {
    expect(validateStatusUpdate(contributing, up(S.CONTRIBUTE_FAILED), contributedFacts)).toBe(
      E.GENERIC_CANT_UPDATE,
    );
    expect(validateStatusUpdate(revealing, up(S.REVEAL_FAILED), contributedFacts)).toBe(
      E.GENERIC_CANT_UPDATE,
    );
  });

  describe('CONTRIBUTED (edges 28, 32)', () => {
    it('accepted with block, on-chain contribution, weight and result hash', () => {
      expect(validateStatusUpdate(contributing, up(S.CONTRIBUTED), contributedFacts)).toBe(
        E.NO_ERROR,
      );
      const revealedOnChain = {
        ...contributedFacts,
        onChainContribution: { status: CS.REVEALED, resultHash: HASH },
      };
      expect(validateStatusUpdate(contributing, up(S.CONTRIBUTED), revealedOnChain)).toBe(
        E.NO_ERROR,
      );
    });

    it.each<[string, StatusUpdateFacts]>([
      [
        'chain says not contributed',
        { ...contributedFacts, onChainContribution: { status: CS.UNSET, resultHash: HASH } },
      ],
      [
        'rejected on chain',
        { ...contributedFacts, onChainContribution: { status: CS.REJECTED, resultHash: HASH } },
      ],
      ['contribution unreadable', { ...contributedFacts, onChainContribution: null }],
      ['weight 0', { ...contributedFacts, workerWeight: 0 }],
      ['weight unknown', { ...contributedFacts, workerWeight: undefined }],
      [
        'empty result hash',
        { ...contributedFacts, onChainContribution: { status: CS.CONTRIBUTED, resultHash: '' } },
      ],
      ['receipt block not available', { ...contributedFacts, blockAvailable: false }],
      ['block availability unknown', { ...contributedFacts, blockAvailable: undefined }],
    ])('refused when %s', (_, facts) => {
      expect(validateStatusUpdate(contributing, up(S.CONTRIBUTED), facts)).toBe(
        E.GENERIC_CANT_UPDATE,
      );
    });
  });

  it('REVEALED: block available and contribution REVEALED on chain', () => {
    const ok = {
      blockAvailable: true,
      onChainContribution: { status: CS.REVEALED, resultHash: HASH },
    };
    expect(validateStatusUpdate(revealing, up(S.REVEALED), ok)).toBe(E.NO_ERROR);
    expect(validateStatusUpdate(revealing, up(S.REVEALED), { ...ok, blockAvailable: false })).toBe(
      E.GENERIC_CANT_UPDATE,
    );
    expect(
      validateStatusUpdate(revealing, up(S.REVEALED), {
        ...ok,
        onChainContribution: { status: CS.CONTRIBUTED, resultHash: HASH },
      }),
    ).toBe(E.GENERIC_CANT_UPDATE);
  });

  describe('RESULT_UPLOADED (edge 35)', () => {
    it('callback task: accepted with callback data, refused without', () => {
      const facts = { description: callbackTask, resultUploaded: true };
      expect(
        validateStatusUpdate(
          uploading,
          up(S.RESULT_UPLOADED, { chainCallbackData: '0x01' }),
          facts,
        ),
      ).toBe(E.NO_ERROR);
      expect(
        validateStatusUpdate(uploading, up(S.RESULT_UPLOADED, { resultLink: '/ipfs/Qm' }), facts),
      ).toBe(E.GENERIC_CANT_UPDATE);
    });

    it('non-callback task: needs a result link and the result at the repository', () => {
      const facts = { description: standard, resultUploaded: true };
      expect(
        validateStatusUpdate(uploading, up(S.RESULT_UPLOADED, { resultLink: '/ipfs/Qm' }), facts),
      ).toBe(E.NO_ERROR);
      expect(
        validateStatusUpdate(uploading, up(S.RESULT_UPLOADED, { resultLink: '' }), facts),
      ).toBe(E.GENERIC_CANT_UPDATE);
      expect(validateStatusUpdate(uploading, { status: S.RESULT_UPLOADED }, facts)).toBe(
        E.GENERIC_CANT_UPDATE,
      );
      expect(
        validateStatusUpdate(uploading, up(S.RESULT_UPLOADED, { resultLink: '/ipfs/Qm' }), {
          ...facts,
          resultUploaded: false,
        }),
      ).toBe(E.GENERIC_CANT_UPDATE);
    });

    it('[quirk fix] no task description → refused (not a 500)', () => {
      expect(
        validateStatusUpdate(uploading, up(S.RESULT_UPLOADED, { resultLink: '/ipfs/Qm' }), {
          resultUploaded: true,
        }),
      ).toBe(E.GENERIC_CANT_UPDATE);
    });
  });

  it('RESULT_UPLOAD_FAILED: accepted when not uploaded, refused otherwise or without description (edge 37)', () => {
    expect(
      validateStatusUpdate(uploading, up(S.RESULT_UPLOAD_FAILED), {
        description: standard,
        resultUploaded: false,
      }),
    ).toBe(E.NO_ERROR);
    // Callback tasks are always "uploaded", so the caller passes true.
    expect(
      validateStatusUpdate(uploading, up(S.RESULT_UPLOAD_FAILED), {
        description: callbackTask,
        resultUploaded: true,
      }),
    ).toBe(E.GENERIC_CANT_UPDATE);
    expect(
      validateStatusUpdate(uploading, up(S.RESULT_UPLOAD_FAILED), { resultUploaded: false }),
    ).toBe(E.GENERIC_CANT_UPDATE);
  });

  describe('CONTRIBUTE_AND_FINALIZE_DONE (edge 37)', () => {
    const ok: StatusUpdateFacts = {
      onChainContribution: { status: CS.REVEALED, resultHash: HASH },
      workerWeight: 2,
      resultUploaded: true,
      chainTaskStatus: ChainTaskStatus.COMPLETED,
    };

    it('accepted when revealed on chain, uploaded and the chain task COMPLETED (no block check)', () => {
      expect(validateStatusUpdate(cafOngoing, up(S.CONTRIBUTE_AND_FINALIZE_DONE), ok)).toBe(
        E.NO_ERROR,
      );
    });

    it.each<[string, StatusUpdateFacts]>([
      [
        'not revealed on chain',
        { ...ok, onChainContribution: { status: CS.CONTRIBUTED, resultHash: HASH } },
      ],
      ['[quirk fix] no on-chain contribution', { ...ok, onChainContribution: null }],
      ['not uploaded', { ...ok, resultUploaded: false }],
      ['chain task not COMPLETED', { ...ok, chainTaskStatus: ChainTaskStatus.REVEALING }],
      ['chain task unreadable', { ...ok, chainTaskStatus: null }],
    ])('refused when %s', (_, facts) => {
      expect(validateStatusUpdate(cafOngoing, up(S.CONTRIBUTE_AND_FINALIZE_DONE), facts)).toBe(
        E.GENERIC_CANT_UPDATE,
      );
    });
  });

  it('CONTRIBUTE_AND_FINALIZE_ONGOING is accepted (edge 37)', () => {
    const computed = replicate([S.CREATED, S.COMPUTING, S.COMPUTED]);
    expect(validateStatusUpdate(computed, up(S.CONTRIBUTE_AND_FINALIZE_ONGOING), {})).toBe(
      E.NO_ERROR,
    );
  });

  it('facts needed per status (so the caller only reads what is used)', () => {
    expect(verificationFactsNeeded(S.CONTRIBUTED)).toEqual([
      'blockAvailable',
      'onChainContribution',
      'workerWeight',
    ]);
    expect(verificationFactsNeeded(S.REVEALED)).toEqual(['blockAvailable', 'onChainContribution']);
    expect(verificationFactsNeeded(S.RESULT_UPLOADED)).toEqual(['resultUploaded']);
    expect(verificationFactsNeeded(S.RESULT_UPLOAD_FAILED)).toEqual(['resultUploaded']);
    expect(verificationFactsNeeded(S.CONTRIBUTE_AND_FINALIZE_DONE)).toEqual([
      'onChainContribution',
      'workerWeight',
      'resultUploaded',
      'chainTaskStatus',
    ]);
    const others = REPLICATE_STATUSES.filter(
      (s) =>
        ![
          S.CONTRIBUTED,
          S.REVEALED,
          S.RESULT_UPLOADED,
          S.RESULT_UPLOAD_FAILED,
          S.CONTRIBUTE_AND_FINALIZE_DONE,
        ].includes(s),
    );
    for (const s of others) expect(verificationFactsNeeded(s)).toEqual([]);
  });
});

describe('a claim our node has not caught up with (issue 16 §1)', () => {
  it('defers what would be a verification refusal, nothing else', () => {
    expect(deferIfClaimPending(E.GENERIC_CANT_UPDATE, { claimPending: true })).toBe('deferred');
    expect(deferIfClaimPending(E.GENERIC_CANT_UPDATE, { claimPending: false })).toBe(
      E.GENERIC_CANT_UPDATE,
    );
    for (const error of [E.ALREADY_REPORTED, E.BAD_WORKFLOW_TRANSITION, E.UNKNOWN_REPLICATE]) {
      expect(deferIfClaimPending(error, { claimPending: true })).toBe(error);
    }
  });
});

describe('R3 answer (§7.1, edge 27)', () => {
  it.each([E.UNKNOWN_REPLICATE, E.UNKNOWN_TASK, E.BAD_WORKFLOW_TRANSITION, E.GENERIC_CANT_UPDATE])(
    '%s → 202 "PLEASE_ABORT"',
    (error) => {
      expect(statusUpdateAnswer({ error })).toEqual({ httpStatus: 202, body: N.PLEASE_ABORT });
    },
  );

  it('ALREADY_REPORTED → 208 "PLEASE_WAIT"; an error meaning "no error" → 500', () => {
    expect(statusUpdateAnswer({ error: E.ALREADY_REPORTED })).toEqual({
      httpStatus: 208,
      body: N.PLEASE_WAIT,
    });
    expect(statusUpdateAnswer({ error: E.NO_ERROR })).toEqual({ httpStatus: 500, body: undefined });
  });

  it('a deferred claim answers 503 with no body: the worker posts the same report again', () => {
    expect(statusUpdateAnswer({ deferred: true })).toEqual({ httpStatus: 503, body: undefined });
  });

  it('a replay of the current status → 208 with its next action again', () => {
    expect(
      statusUpdateAnswer({ error: E.ALREADY_REPORTED, replayedAction: N.PLEASE_CONTRIBUTE }),
    ).toEqual({
      httpStatus: 208,
      body: N.PLEASE_CONTRIBUTE,
    });
  });

  it('accepted → 200 with the next action, or an empty body', () => {
    expect(statusUpdateAnswer({ accepted: true, nextAction: N.PLEASE_CONTINUE })).toEqual({
      httpStatus: 200,
      body: N.PLEASE_CONTINUE,
    });
    expect(statusUpdateAnswer({ accepted: true, nextAction: undefined })).toEqual({
      httpStatus: 200,
      body: undefined,
    });
  });
});
