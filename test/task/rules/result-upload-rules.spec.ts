import { isTeeTag, TEE_TDX_ONLY_TAG } from '../../../src/chain/tee-tag.js';
import { ReplicateStatus as S } from '../../../src/replicate/replicate-status.js';
import {
  chooseUploader,
  findUploadedReplicate,
  hasRevealedReplicate,
  resultUploadCheck,
  resultUploadingDecision,
} from '../../../src/task/rules/result-upload-rules.js';
import { MINUTE, replicate, T0 } from '../../support/replicates.js';

const REVEALED = [S.CREATED, S.CONTRIBUTED, S.REVEALING, S.REVEALED];
const revealed = (wallet: string) => replicate(REVEALED, { wallet });
const NOW = T0 + MINUTE;

describe('CONSENSUS_REACHED → AT_LEAST_ONE_REVEALED (§7.5, edge 14)', () => {
  it('needs a replicate whose current status is REVEALED', () => {
    expect(hasRevealedReplicate([revealed('0x1')])).toBe(true);
    expect(hasRevealedReplicate([replicate([S.CREATED, S.CONTRIBUTED])])).toBe(false);
    expect(hasRevealedReplicate([replicate([...REVEALED, S.WORKER_LOST])])).toBe(false);
    expect(hasRevealedReplicate([])).toBe(false);
  });
});

describe('chooseUploader (§7.6, edges 14–15)', () => {
  it('picks a REVEALED replicate with the injected randomness', () => {
    const rs = [
      revealed('0x1'),
      replicate([S.CREATED, S.CONTRIBUTED], { wallet: '0x2' }),
      revealed('0x3'),
    ];
    expect(chooseUploader(rs, () => 0)).toBe('0x1');
    expect(chooseUploader(rs, () => 0.49)).toBe('0x1');
    expect(chooseUploader(rs, () => 0.5)).toBe('0x3');
    expect(chooseUploader(rs, () => 0.999999)).toBe('0x3');
    expect(chooseUploader(rs, () => 1)).toBe('0x3'); // defensive clamp
  });

  it('nothing when an upload is already requested or in progress', () => {
    const requested = replicate([...REVEALED, S.RESULT_UPLOAD_REQUESTED], { wallet: '0x2' });
    const uploading = replicate([...REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOADING], {
      wallet: '0x2',
    });
    expect(chooseUploader([revealed('0x1'), requested], () => 0)).toBeUndefined();
    expect(chooseUploader([revealed('0x1'), uploading], () => 0)).toBeUndefined();
  });

  it('nothing when no replicate is currently REVEALED (e.g. the only revealer is lost)', () => {
    expect(
      chooseUploader([replicate([...REVEALED, S.WORKER_LOST], { wallet: '0x1' })]),
    ).toBeUndefined();
    expect(chooseUploader([])).toBeUndefined();
  });

  it('a former uploader that failed does not block a new choice', () => {
    const failed = replicate(
      [...REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOADING, S.RESULT_UPLOAD_FAILED],
      {
        wallet: '0x1',
      },
    );
    expect(chooseUploader([failed, revealed('0x2')], () => 0)).toBe('0x2');
  });
});

describe('findUploadedReplicate (§7.7 step 2, edge 14)', () => {
  const uploaded = [...REVEALED, S.RESULT_UPLOAD_REQUESTED, S.RESULT_UPLOADING, S.RESULT_UPLOADED];

  it('current status RESULT_UPLOADED', () => {
    const r = replicate(uploaded, { wallet: '0x2' });
    expect(findUploadedReplicate([revealed('0x1'), r])).toBe(r);
  });

  it('last two statuses RESULT_UPLOADED then WORKER_LOST still count', () => {
    const r = replicate([...uploaded, S.WORKER_LOST], { wallet: '0x2' });
    expect(findUploadedReplicate([r])).toBe(r);
  });

  it('not after RESULT_UPLOADED → WORKER_LOST → RECOVERING, nor before the upload', () => {
    expect(
      findUploadedReplicate([replicate([...uploaded, S.WORKER_LOST, S.RECOVERING])]),
    ).toBeUndefined();
    expect(findUploadedReplicate([replicate([...uploaded, S.COMPLETING])])).toBeUndefined();
    expect(findUploadedReplicate([revealed('0x1')])).toBeUndefined();
  });
});

describe('RESULT_UPLOADING → RESULT_UPLOADED (§7.7, edge 16)', () => {
  const task = (wallet?: string) => ({
    uploadingWorkerWalletAddress: wallet,
    finalDeadline: new Date(T0 + 10 * MINUTE),
  });
  const uploader = (...tail: S[]) =>
    replicate([...REVEALED, S.RESULT_UPLOAD_REQUESTED, ...tail], { wallet: '0xup' });

  it('final deadline passed → RESULT_UPLOAD_TIMEOUT', () => {
    expect(resultUploadingDecision(task('0xup'), [], T0 + 10 * MINUTE + 1)).toEqual({
      kind: 'RESULT_UPLOAD_TIMEOUT',
    });
  });

  it('uploaded replicate found → RESULT_UPLOADED with it', () => {
    const r = uploader(S.RESULT_UPLOADING, S.RESULT_UPLOADED);
    expect(resultUploadingDecision(task('0xup'), [r], NOW)).toEqual({
      kind: 'RESULT_UPLOADED',
      replicate: r,
    });
  });

  it('uploader still RESULT_UPLOADING, or RECOVERING from it → wait', () => {
    expect(resultUploadingDecision(task('0xup'), [uploader(S.RESULT_UPLOADING)], NOW)).toEqual({
      kind: 'WAIT',
    });
    expect(
      resultUploadingDecision(
        task('0xup'),
        [uploader(S.RESULT_UPLOADING, S.WORKER_LOST, S.RECOVERING)],
        NOW,
      ),
    ).toEqual({ kind: 'WAIT' });
  });

  it('no uploader, unknown uploader, or uploader in another status → request a new upload', () => {
    expect(resultUploadingDecision(task(undefined), [revealed('0x1')], NOW)).toEqual({
      kind: 'REQUEST_UPLOAD',
    });
    expect(resultUploadingDecision(task('0xgone'), [revealed('0x1')], NOW)).toEqual({
      kind: 'REQUEST_UPLOAD',
    });
    for (const r of [
      uploader(S.RESULT_UPLOADING, S.RESULT_UPLOAD_FAILED),
      uploader(S.WORKER_LOST),
      uploader(S.RESULT_UPLOADING, S.WORKER_LOST),
      uploader(),
    ]) {
      expect(resultUploadingDecision(task('0xup'), [r, revealed('0x1')], NOW)).toEqual({
        kind: 'REQUEST_UPLOAD',
      });
    }
  });
});

describe('"result uploaded" without the Result Proxy (services §6.2, edge 36)', () => {
  const ZERO = '0x0000000000000000000000000000000000000000';
  const CALLBACK = '0x1234567890abcdef1234567890abcdef12345678';

  it('callback task → uploaded without consulting', () => {
    expect(
      resultUploadCheck({
        isTeeTask: false,
        trust: 1,
        callback: CALLBACK,
        resultStorageProvider: 'ipfs',
      }),
    ).toBe('UPLOADED');
    expect(
      resultUploadCheck({
        isTeeTask: true,
        trust: 1,
        callback: CALLBACK,
        resultStorageProvider: 'ipfs',
      }),
    ).toBe('UPLOADED');
  });

  it('TEE with a non-IPFS (or unset) provider → uploaded without consulting', () => {
    expect(
      resultUploadCheck({
        isTeeTask: true,
        trust: 1,
        callback: ZERO,
        resultStorageProvider: 'dropbox',
      }),
    ).toBe('UPLOADED');
    expect(resultUploadCheck({ isTeeTask: true, trust: 1, callback: ZERO })).toBe('UPLOADED');
  });

  it('[iexec-core 9.3 #771] a TDX task with a non-IPFS (or unset) provider → uploaded', () => {
    // 9.x read "TEE" as SGX only there, so a TDX task's Dropbox result was looked for on the proxy
    const isTeeTask = isTeeTag(TEE_TDX_ONLY_TAG);
    for (const resultStorageProvider of ['dropbox', undefined]) {
      expect(
        resultUploadCheck({ isTeeTask, trust: 1, callback: ZERO, resultStorageProvider }),
      ).toBe('UPLOADED');
    }
    const ipfs = { isTeeTask, trust: 1, callback: ZERO, resultStorageProvider: 'ipfs' };
    expect(resultUploadCheck(ipfs)).toBe('ASK_RESULT_PROXY');
  });

  it('IPFS non-callback (TEE or not) and standard tasks whatever the provider → ask the proxy', () => {
    expect(
      resultUploadCheck({
        isTeeTask: true,
        trust: 1,
        callback: ZERO,
        resultStorageProvider: 'ipfs',
      }),
    ).toBe('ASK_RESULT_PROXY');
    expect(
      resultUploadCheck({
        isTeeTask: false,
        trust: 3,
        callback: '',
        resultStorageProvider: 'ipfs',
      }),
    ).toBe('ASK_RESULT_PROXY');
    expect(
      resultUploadCheck({ isTeeTask: false, trust: 3, resultStorageProvider: 'dropbox' }),
    ).toBe('ASK_RESULT_PROXY');
  });

  it('unknown task description → not uploaded', () => {
    expect(resultUploadCheck(undefined)).toBe('NOT_UPLOADED');
    expect(resultUploadCheck(null)).toBe('NOT_UPLOADED');
  });
});
