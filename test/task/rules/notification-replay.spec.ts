import { TaskNotificationType as N } from '../../../src/notification/task-notification-type.js';
import {
  ReplicateStatus as R,
  ReplicateStatusModifier,
} from '../../../src/replicate/replicate-status.js';
import { notificationsToReplay } from '../../../src/task/rules/notification-replay.js';
import { TaskStatus } from '../../../src/task/task-status.js';

const NOW = 1_000_000_000;
const GRACE = 10_000;
const HASH = '0x' + 'aa'.repeat(32);

function replicate(wallet: string, statuses: R[], lastAt: number, hash = HASH) {
  return {
    walletAddress: wallet,
    contributionHash: hash,
    statusUpdateList: statuses.map((status, i) => ({
      status,
      modifier: ReplicateStatusModifier.WORKER,
      date: new Date(i === statuses.length - 1 ? lastAt : lastAt - 1000),
    })),
  };
}

const task = (status: TaskStatus, extra = {}) => ({
  currentStatus: status,
  consensus: HASH,
  revealDeadline: new Date(NOW + 60_000),
  uploadingWorkerWalletAddress: undefined as string | undefined,
  ...extra,
});

describe('notifications to replay', () => {
  it('tells an idle winner still CONTRIBUTED to reveal again', () => {
    const r = [replicate('0xa', [R.CREATED, R.CONTRIBUTED], NOW - GRACE - 1)];
    expect(notificationsToReplay(task(TaskStatus.CONSENSUS_REACHED), r, NOW, GRACE)).toEqual([
      { walletAddress: '0xa', type: N.PLEASE_REVEAL },
    ]);
  });

  it('leaves recent, moving, losing winners and closed reveal windows alone', () => {
    const recent = replicate('0xa', [R.CONTRIBUTED], NOW - 100);
    const revealing = replicate('0xb', [R.CONTRIBUTED, R.REVEALING], NOW - GRACE - 1);
    const loser = replicate('0xc', [R.CONTRIBUTED], NOW - GRACE - 1, '0x' + 'bb'.repeat(32));
    expect(
      notificationsToReplay(
        task(TaskStatus.CONSENSUS_REACHED),
        [recent, revealing, loser],
        NOW,
        GRACE,
      ),
    ).toEqual([]);
    const idle = replicate('0xd', [R.CONTRIBUTED], NOW - GRACE - 1);
    expect(
      notificationsToReplay(
        task(TaskStatus.CONSENSUS_REACHED, { revealDeadline: new Date(NOW - 1) }),
        [idle],
        NOW,
        GRACE,
      ),
    ).toEqual([]);
    expect(notificationsToReplay(task(TaskStatus.RUNNING), [idle], NOW, GRACE)).toEqual([]);
  });

  it('closes the reveal window on the chain clock, not the wall clock', () => {
    const idle = replicate('0xa', [R.CONTRIBUTED], NOW - GRACE - 1);
    const t = task(TaskStatus.CONSENSUS_REACHED); // reveal deadline NOW + 60 s
    expect(notificationsToReplay(t, [idle], NOW, GRACE, NOW + 59_999)).toHaveLength(1);
    expect(notificationsToReplay(t, [idle], NOW, GRACE, NOW + 60_000)).toEqual([]);
  });

  it('tells the chosen uploader to upload again while it has not started', () => {
    const uploader = replicate('0xa', [R.REVEALED, R.RESULT_UPLOAD_REQUESTED], NOW - GRACE - 1);
    const other = replicate('0xb', [R.REVEALED, R.RESULT_UPLOAD_REQUESTED], NOW - GRACE - 1);
    const t = task(TaskStatus.RESULT_UPLOADING, { uploadingWorkerWalletAddress: '0xa' });
    expect(notificationsToReplay(t, [uploader, other], NOW, GRACE)).toEqual([
      { walletAddress: '0xa', type: N.PLEASE_UPLOAD },
    ]);
    const uploading = replicate(
      '0xa',
      [R.RESULT_UPLOAD_REQUESTED, R.RESULT_UPLOADING],
      NOW - GRACE - 1,
    );
    expect(notificationsToReplay(t, [uploading], NOW, GRACE)).toEqual([]);
  });
});
