import type { ChainContext } from '../../src/chain/chain-context.js';
import type { ChainContribution } from '../../src/chain/chain-models.js';
import { ChainContributionStatus } from '../../src/chain/chain-status.js';
import type { PocoReader } from '../../src/chain/poco-reader.js';
import type { ApplicationAvailability } from '../../src/health/application-availability.js';
import type { MetricsService } from '../../src/metrics/metrics.service.js';
import { ClaimVerifier, WorkerClaim } from '../../src/replicate/claim-verifier.js';
import { testConfig } from '../support/config.js';

const TASK = `0x${'a'.repeat(64)}`;
const WALLET = '0x1234567890abcdef1234567890abcdef12345678';
const BLOCK_TIME_MS = 400; // polls every 100 ms

/** A node whose head and contribution follow a script of (ms since start → state). */
function nodeScript(states: { at: number; head?: bigint; status?: ChainContributionStatus }[]) {
  const started = Date.now();
  const now = () => [...states].reverse().find((s) => Date.now() - started >= s.at)!;
  const reads = { heads: 0, contributions: 0 };
  const reader = {
    latestBlockNumber: async () => (reads.heads++, now().head),
    getChainContribution: async (): Promise<ChainContribution | undefined> => {
      reads.contributions++;
      const status = now().status;
      return status === undefined
        ? undefined
        : { status, resultHash: `0x${'1'.repeat(64)}`, resultSeal: '0x', enclaveChallenge: '0x' };
    },
  } as unknown as PocoReader;
  return { reader, reads };
}

function verifier(reader: PocoReader, holdMs = 1500, confirmations = 2) {
  const deferred: string[] = [];
  const chain = { chainConfig: { blockTimeMs: BLOCK_TIME_MS } } as unknown as ChainContext;
  const config = testConfig({
    IEXEC_CLAIM_HOLD_MS: String(holdMs),
    IEXEC_CLAIM_CONFIRMATION_BLOCKS: String(confirmations),
  });
  const metrics = { countDeferredClaim: (c: string) => deferred.push(c) };
  const availability = { isShuttingDown: false };
  return {
    claims: new ClaimVerifier(
      reader,
      chain,
      config,
      metrics as unknown as MetricsService,
      availability as ApplicationAvailability,
    ),
    deferred,
    availability,
  };
}

const claim = (over: Partial<WorkerClaim> = {}): WorkerClaim => ({
  chainTaskId: TASK,
  walletAddress: WALLET,
  target: 'contributed',
  claimedBlock: 100n,
  finalDeadline: new Date(Date.now() + 3_600_000),
  ...over,
});

const { UNSET, CONTRIBUTED, REVEALED } = ChainContributionStatus;

describe('ClaimVerifier', () => {
  it('holds a claim while our node lags, then confirms it once the node shows it', async () => {
    const { reader } = nodeScript([
      { at: 0, head: 80n, status: UNSET }, // 20 blocks behind the worker's node
      { at: 500, head: 100n, status: CONTRIBUTED },
    ]);
    const { claims, deferred } = verifier(reader);
    const started = Date.now();
    const check = await claims.verify(claim());
    expect(check.verdict).toBe('confirmed');
    expect(check.contribution?.status).toBe(CONTRIBUTED);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(deferred).toEqual([]);
  });

  it('answers pending (deferred, counted) when the hold ends before our node catches up', async () => {
    const { reader, reads } = nodeScript([{ at: 0, head: 50n, status: UNSET }]);
    const { claims, deferred } = verifier(reader, 600);
    const started = Date.now();
    expect((await claims.verify(claim({ target: 'revealed' }))).verdict).toBe('pending');
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(deferred).toEqual(['revealed']);
    // Not visible yet: the contribution is not even read.
    expect(reads.contributions).toBe(0);
  });

  it('refutes a contribution absent once our node is past the block by the confirmations', async () => {
    const { reader } = nodeScript([
      { at: 0, head: 100n, status: UNSET },
      { at: 300, head: 102n, status: UNSET },
    ]);
    const { claims } = verifier(reader);
    expect((await claims.verify(claim())).verdict).toBe('refuted');
  });

  it('re-reads the contribution only when a block came', async () => {
    const { reader, reads } = nodeScript([
      { at: 0, head: 100n, status: UNSET },
      { at: 350, head: 101n, status: UNSET },
    ]);
    const { claims } = verifier(reader, 800, 5);
    expect((await claims.verify(claim())).verdict).toBe('pending');
    expect(reads.heads).toBeGreaterThanOrEqual(6);
    expect(reads.contributions).toBe(2);
  });

  it('never refutes on a failed contribution read', async () => {
    const { reader } = nodeScript([{ at: 0, head: 200n, status: undefined }]);
    const { claims } = verifier(reader, 500);
    expect((await claims.verify(claim())).verdict).toBe('pending');
  });

  it('a reveal needs REVEALED: CONTRIBUTED alone is still absent', async () => {
    const { reader } = nodeScript([{ at: 0, head: 110n, status: CONTRIBUTED }]);
    const { claims } = verifier(reader);
    expect((await claims.verify(claim({ target: 'revealed' }))).verdict).toBe('refuted');
    const revealed = nodeScript([{ at: 0, head: 110n, status: REVEALED }]);
    expect((await verifier(revealed.reader).claims.verify(claim())).verdict).toBe('confirmed');
  });

  it('stops waiting at the final deadline', async () => {
    const { reader } = nodeScript([{ at: 0, head: 10n, status: UNSET }]);
    const { claims, deferred } = verifier(reader, 5000);
    const started = Date.now();
    const check = await claims.verify(claim({ finalDeadline: new Date(Date.now() + 300) }));
    expect(check.verdict).toBe('refuted');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(deferred).toEqual([]);
  });

  it('answers held claims at once when a graceful shutdown starts (no hold outlasts the drain)', async () => {
    const { reader } = nodeScript([{ at: 0, head: 50n, status: UNSET }]);
    const { claims, deferred, availability } = verifier(reader, 20_000);
    const started = Date.now();
    const held = claims.verify(claim());
    setTimeout(() => (availability.isShuttingDown = true), 300);
    expect((await held).verdict).toBe('pending');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(deferred).toEqual(['contributed']);
  });

  it('shares one head read between the claims it holds', async () => {
    const { reader, reads } = nodeScript([{ at: 0, head: 50n, status: UNSET }]);
    const { claims } = verifier(reader, 600);
    const held = Array.from({ length: 20 }, (_, i) =>
      claims.verify(claim({ walletAddress: `0x${String(i).padStart(40, '0')}` })),
    );
    expect((await Promise.all(held)).map((c) => c.verdict)).toEqual(Array(20).fill('pending'));
    // ~7 polls of 100 ms for 20 claims: one read per poll, not one per claim and poll (~140).
    expect(reads.heads).toBeLessThanOrEqual(15);
  });
});
