import { Injectable } from '@nestjs/common';

/**
 * Lets the status pipeline ask for the contribution "unnotified" full scan (cause TASK_NOT_ACTIVE)
 * without depending on the detector that runs it.
 */
@Injectable()
export class UnnotifiedScanTrigger {
  private handler?: () => void;

  onContributionFullScan(handler: () => void): void {
    this.handler = handler;
  }

  requestContributionFullScan(): void {
    this.handler?.();
  }
}
