import { ReplicateStatus as R } from '../../replicate/replicate-status.js';
import type { Replicate } from '../../replicate/replicates-list.schema.js';
import { currentStatus } from '../../replicate/replicate-workflow.js';
import { TaskNotificationType as N } from '../../notification/task-notification-type.js';
import type { Task } from '../task.schema.js';
import { TaskStatus, WAITING_REVEAL_STATUSES } from '../task-status.js';

export interface ReplayedNotification {
  walletAddress: string;
  type: N.PLEASE_REVEAL | N.PLEASE_UPLOAD;
}

function lastChange(replicate: Pick<Replicate, 'statusUpdateList'>): number {
  const last = replicate.statusUpdateList[replicate.statusUpdateList.length - 1];
  return last ? new Date(last.date).getTime() : 0;
}

/**
 * Push notifications are fire-and-forget: one sent while a worker's session was down (its own
 * restart, or the scheduler's) is lost, and nothing in the Java protocol sends it again, so the
 * task waits for its final deadline. A winner still CONTRIBUTED, or a chosen uploader still
 * RESULT_UPLOAD_REQUESTED, `graceMs` after its last update is told again. Replicates that moved
 * on (REVEALING, RESULT_UPLOADING…) are never re-notified, so a slow worker is not disturbed.
 * Idleness is wall time (`now`); the reveal window is chain time (`chainNow`, which time travel
 * moves in tests).
 */
export function notificationsToReplay(
  task: Pick<
    Task,
    'currentStatus' | 'consensus' | 'uploadingWorkerWalletAddress' | 'revealDeadline'
  >,
  replicates: readonly Pick<Replicate, 'walletAddress' | 'contributionHash' | 'statusUpdateList'>[],
  now: number,
  graceMs: number,
  chainNow: number = now,
): ReplayedNotification[] {
  if (!WAITING_REVEAL_STATUSES.includes(task.currentStatus)) return [];
  const replay: ReplayedNotification[] = [];
  const revealOpen = !task.revealDeadline || new Date(task.revealDeadline).getTime() > chainNow;
  for (const r of replicates) {
    const idle = now - lastChange(r) > graceMs;
    if (!idle) continue;
    const current = currentStatus(r);
    if (
      revealOpen &&
      current === R.CONTRIBUTED &&
      !!task.consensus &&
      r.contributionHash === task.consensus
    ) {
      replay.push({ walletAddress: r.walletAddress, type: N.PLEASE_REVEAL });
    }
    if (
      task.currentStatus === TaskStatus.RESULT_UPLOADING &&
      r.walletAddress === task.uploadingWorkerWalletAddress &&
      current === R.RESULT_UPLOAD_REQUESTED
    ) {
      replay.push({ walletAddress: r.walletAddress, type: N.PLEASE_UPLOAD });
    }
  }
  return replay;
}
