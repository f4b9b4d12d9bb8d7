/**
 * The leader lease, as pure rules (issue 17 §2). One document per lease version in its own
 * collection, `_id` = version: acquiring or renewing inserts version n+1, and the unique `_id`
 * makes exactly one contender win it, even on a database whose findAndModify is not atomic.
 * Every time below is a reading of the process's own monotonic clock (`performance.now()`, which
 * keeps running while the process is SIGSTOPped), so no two hosts' wall clocks are compared.
 */
export interface LeaseDocument {
  _id: number;
  holder: string;
  /** Wall-clock times, for people reading the collection; the rules never compare them. */
  acquiredAt: Date;
  expiresAt: Date;
  durationMs: number;
  /** Set by a leader stepping down (SIGTERM): a standby may take the next version at once. */
  released?: boolean;
}

export interface LeaseTiming {
  /** How long a version stays valid after it was sent, unless renewed. */
  durationMs: number;
  /** Safety margin against scheduling delays and in-flight writes, taken on both sides. */
  marginMs: number;
}

/**
 * Until when a leader that sent the insert of its version at `sentAt` may act: the standby's
 * earliest claim (below) comes at least 2 × margin later.
 */
export function leaderCertainUntil(sentAt: number, timing: LeaseTiming): number {
  return sentAt + timing.durationMs - timing.marginMs;
}

/** What a standby has seen of the current lease: the version and when it first saw it. */
export interface Observation {
  version: number;
  firstSeenAt: number;
}

/** The observation after reading the highest version (`undefined`: the collection is empty). */
export function observe(
  previous: Observation | undefined,
  current: LeaseDocument | undefined,
  now: number,
): Observation | undefined {
  if (!current) return undefined;
  if (previous?.version === current._id) return previous;
  return { version: current._id, firstSeenAt: now };
}

/**
 * A process's instance identity, `hostname:port`: the prefix of its holder string
 * (`hostname:port:pid:uuid`, unique per process).
 */
export function instanceIdentity(host: string, port: number): string {
  return `${host}:${port}`;
}

/** The instance identity a holder string starts with (the holder itself when it has none). */
export function identityOf(holder: string): string {
  const parts = holder.split(':');
  return parts.length >= 4 ? parts.slice(0, 2).join(':') : holder;
}

/**
 * Whether a standby may insert the next version: none exists, the holder released it, the
 * holder has this process's own instance identity and this process has bound that identity's
 * HTTP port (`boundIdentity`: the bind proves the previous process of that identity is gone, a
 * frozen one still holds the socket; a fast restart then needs no wait), or the
 * version has stayed the highest for its whole duration plus the margin since this process
 * first saw it (first seen ≥ sent, so the holder stopped acting 2 × margin before).
 */
export function mayClaim(
  current: LeaseDocument | undefined,
  observation: Observation | undefined,
  now: number,
  timing: LeaseTiming,
  boundIdentity?: string,
): boolean {
  if (!current) return true;
  if (current.released) return true;
  if (boundIdentity !== undefined && identityOf(current.holder) === boundIdentity) return true;
  if (!observation || observation.version !== current._id) return false;
  const duration = Math.max(current.durationMs, timing.durationMs);
  return now >= observation.firstSeenAt + duration + timing.marginMs;
}

/** The version a contender inserts next. */
export function nextVersion(current: LeaseDocument | undefined): number {
  return (current?._id ?? 0) + 1;
}

/** The lease timing must leave the leader time to renew: a clear boot error otherwise. */
export function timingProblem(timing: LeaseTiming, renewEveryMs: number): string | undefined {
  if (timing.marginMs * 2 >= timing.durationMs)
    return `the lease margin (${timing.marginMs} ms) must be under half the lease duration (${timing.durationMs} ms)`;
  if (renewEveryMs * 2 > timing.durationMs - timing.marginMs)
    return `renewals every ${renewEveryMs} ms leave less than two tries within the lease (${timing.durationMs} ms less ${timing.marginMs} ms margin)`;
  return undefined;
}
