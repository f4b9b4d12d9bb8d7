/** PoCo task status, by on-chain ordinal. */
export enum ChainTaskStatus {
  UNSET = 0,
  ACTIVE = 1,
  REVEALING = 2,
  COMPLETED = 3,
  FAILED = 4,
}

/** PoCo contribution status, by on-chain ordinal (PoCo calls 2 "PROVED"; the scheduler says REVEALED). */
export enum ChainContributionStatus {
  UNSET = 0,
  CONTRIBUTED = 1,
  REVEALED = 2,
  REJECTED = 3,
}
