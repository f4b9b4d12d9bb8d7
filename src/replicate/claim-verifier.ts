import { Injectable } from '@nestjs/common';
import { ChainContext } from '../chain/chain-context.js';
import { blockFollowingPollMs } from '../chain/chain-config.js';
import type { ChainContribution } from '../chain/chain-models.js';
import { ChainContributionStatus } from '../chain/chain-status.js';
import { PocoReader } from '../chain/poco-reader.js';
import { AppConfig } from '../config/app-config.js';
import { ApplicationAvailability } from '../health/application-availability.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ClaimVerdict, claimVerdict, visibleProofMs } from './claim-verdict.js';

export interface WorkerClaim {
  readonly chainTaskId: string;
  readonly walletAddress: string;
  /** CONTRIBUTED claims `contributed`; REVEALED and CONTRIBUTE_AND_FINALIZE_DONE `revealed`. */
  readonly target: 'contributed' | 'revealed';
  readonly claimedBlock: bigint;
  /** The task's on-chain final deadline: no claim is waited for past it. */
  readonly finalDeadline?: Date;
}

export interface ClaimCheck {
  readonly verdict: ClaimVerdict;
  /** The last contribution read (after the claimed block was visible). */
  readonly contribution?: ChainContribution;
}

/**
 * Checks a worker's claim against our node, holding the request while the node has not caught
 * up (at most IEXEC_CLAIM_HOLD_MS, below the worker's 60 s read timeout, and never past the
 * final deadline, and never into a graceful shutdown's drain). The contribution is read again
 * only when a new block came; every held claim shares one head read per poll.
 */
@Injectable()
export class ClaimVerifier {
  constructor(
    private readonly reader: PocoReader,
    private readonly chain: ChainContext,
    private readonly config: AppConfig,
    private readonly metrics: MetricsService,
    private readonly availability: ApplicationAvailability,
  ) {}

  private head?: { readAt: number; block: Promise<bigint | undefined> };

  async verify(claim: WorkerClaim): Promise<ClaimCheck> {
    const blockTimeMs = this.chain.chainConfig.blockTimeMs;
    const pollMs = blockFollowingPollMs(blockTimeMs);
    const started = Date.now();
    const holdUntil = Math.min(
      started + this.config.claims.holdMs,
      claim.finalDeadline?.getTime() ?? Infinity,
    );
    let visibleSince: number | undefined;
    let readAtBlock: bigint | undefined;
    let contribution: ChainContribution | undefined;
    for (;;) {
      const latest = await this.latestBlock(pollMs);
      if (latest !== undefined && latest >= claim.claimedBlock) {
        visibleSince ??= Date.now();
        if (readAtBlock !== latest) {
          contribution = await this.reader.getChainContribution(
            claim.chainTaskId,
            claim.walletAddress,
          );
          readAtBlock = contribution ? latest : undefined;
        }
      }
      const verdict = claimVerdict({
        claimedBlock: claim.claimedBlock,
        latestBlock: latest,
        contribution: contributionState(contribution, claim.target, readAtBlock !== undefined),
        confirmationBlocks: this.config.claims.confirmationBlocks,
        visibleForMs: visibleSince === undefined ? 0 : Date.now() - visibleSince,
        visibleProofMs: visibleProofMs(blockTimeMs),
      });
      if (verdict !== 'pending') return { verdict, contribution };
      const now = Date.now();
      if (claim.finalDeadline && now >= claim.finalDeadline.getTime()) {
        // Past the final deadline nothing can be contributed any more: the task is over.
        return { verdict: 'refuted', contribution };
      }
      if (now >= holdUntil || this.availability.isShuttingDown) {
        this.metrics.countDeferredClaim(claim.target);
        return { verdict: 'pending', contribution };
      }
      await new Promise((r) => setTimeout(r, Math.min(pollMs, holdUntil - now)));
    }
  }

  /** Our node's head, read at most once per half poll however many claims are held. */
  private latestBlock(pollMs: number): Promise<bigint | undefined> {
    const now = Date.now();
    if (!this.head || now - this.head.readAt >= pollMs / 2) {
      this.head = { readAt: now, block: this.reader.latestBlockNumber() };
    }
    return this.head.block;
  }
}

function contributionState(
  contribution: ChainContribution | undefined,
  target: WorkerClaim['target'],
  read: boolean,
): 'reached' | 'absent' | 'unread' {
  if (!read || !contribution) return 'unread';
  const status = contribution.status;
  const reached =
    status === ChainContributionStatus.REVEALED ||
    (target === 'contributed' && status === ChainContributionStatus.CONTRIBUTED);
  return reached ? 'reached' : 'absent';
}
