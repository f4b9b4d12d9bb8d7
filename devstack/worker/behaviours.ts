// Per-worker behaviours: how a simulated worker deviates from the honest Java worker. A behaviour
// is a set of optional hooks; `combine` stacks several (e.g. slow + wrongResult).
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';
import { ReplicateStatus, ReplicateStatusCause } from '../../src/replicate/replicate-status.js';
import { HONEST_RESULT_SALT, wrongResultSalt } from './result.js';
import type { TaskFacts } from './worker-chain.js';

export interface BehaviourContext {
  wallet: string;
  chainTaskId: string;
  /** undefined when the worker runs without a chain */
  task?: TaskFacts;
}

export type ComputeOutcome =
  | { ok: true; stdout?: string; stderr?: string }
  | {
      ok: false;
      cause: ReplicateStatusCause;
      exitCode: number | null;
      stdout?: string;
      stderr?: string;
    };

export interface Behaviour {
  readonly name: string;
  /** Time a step takes: waited between the in-progress and the result report (ms). */
  stepDelayMs?(type: TaskNotificationType, ctx: BehaviourContext): number;
  /** The salt of the computed result (honest: HONEST_RESULT_SALT). */
  resultSalt?(ctx: BehaviourContext): string;
  /** Outcome of the computation (default: success). */
  compute?(ctx: BehaviourContext): ComputeOutcome | undefined;
  /** false: the notification is ignored, nothing is reported. */
  accepts?(type: TaskNotificationType, ctx: BehaviourContext): boolean;
  /** 'crash': the worker stops all activity right after this report was answered. */
  afterReport?(status: ReplicateStatus, ctx: BehaviourContext): 'crash' | void;
}

export function honest(): Behaviour {
  return { name: 'honest' };
}

/**
 * Contributes a different digest. By default every liar has its own result; give a common `salt`
 * to make liars collude.
 */
export function wrongResult(options: { salt?: string } = {}): Behaviour {
  return {
    name: 'wrongResult',
    resultSalt: (ctx) => options.salt ?? wrongResultSalt(ctx.wallet),
  };
}

/** Every step takes `ms` (for timeout scenarios). */
export function slow(ms: number): Behaviour {
  return { name: `slow(${ms})`, stepDelayMs: () => ms };
}

/**
 * Stops all activity right after reporting `status` (a crash mid-task); `restart()` brings the
 * worker back through R2 recovery. Fires once unless `always`.
 */
export function crashAfter(status: ReplicateStatus, options: { always?: boolean } = {}): Behaviour {
  let armed = true;
  return {
    name: `crashAfter(${status})`,
    afterReport(reported) {
      if (reported !== status || !armed) return;
      if (!options.always) armed = false;
      return 'crash';
    },
  };
}

/** Ignores PLEASE_REVEAL: contributes, then never reveals (reveal timeout scenarios). */
export function neverReveal(): Behaviour {
  return {
    name: 'neverReveal',
    accepts: (type) => type !== TaskNotificationType.PLEASE_REVEAL,
  };
}

/** The application fails: COMPUTE_FAILED with APP_COMPUTE_FAILED, an exit code and logs. */
export function computeFails(
  options: { cause?: ReplicateStatusCause; exitCode?: number } = {},
): Behaviour {
  return {
    name: 'computeFails',
    compute: (ctx) => ({
      ok: false,
      cause: options.cause ?? ReplicateStatusCause.APP_COMPUTE_FAILED,
      exitCode: options.exitCode ?? 1,
      stdout: `simulated app: task ${ctx.chainTaskId}\n`,
      stderr: 'simulated app: failure\n',
    }),
  };
}

/** Several behaviours at once: delays add up, any crash crashes, any refusal refuses. */
export function combine(...behaviours: Behaviour[]): Behaviour {
  if (behaviours.length === 1) return behaviours[0];
  return {
    name: behaviours.map((b) => b.name).join('+') || 'honest',
    stepDelayMs: (type, ctx) =>
      behaviours.reduce((sum, b) => sum + (b.stepDelayMs?.(type, ctx) ?? 0), 0),
    resultSalt: (ctx) =>
      behaviours.reduce<string | undefined>((salt, b) => b.resultSalt?.(ctx) ?? salt, undefined) ??
      HONEST_RESULT_SALT,
    compute: (ctx) => {
      for (const b of behaviours) {
        const outcome = b.compute?.(ctx);
        if (outcome) return outcome;
      }
      return undefined;
    },
    accepts: (type, ctx) => behaviours.every((b) => b.accepts?.(type, ctx) ?? true),
    afterReport: (status, ctx) => {
      // every hook runs (one-shot hooks disarm even when another one already crashes)
      const verdicts = behaviours.map((b) => b.afterReport?.(status, ctx));
      return verdicts.includes('crash') ? 'crash' : undefined;
    },
  };
}

/**
 * A behaviour from text, for the dev stack and benchmarks: `honest`, `wrongResult`,
 * `wrongResult:<salt>`, `slow:<ms>`, `crashAfter:<STATUS>`, `neverReveal`, `computeFails`,
 * combined with `+` (e.g. `slow:2000+crashAfter:CONTRIBUTED`).
 */
export function parseBehaviour(spec: string): Behaviour {
  const parts = spec
    .split('+')
    .map((s) => s.trim())
    .filter(Boolean);
  const parsed = parts.map((part) => {
    const [name, arg] = part.split(/:(.*)/s, 2);
    switch (name) {
      case 'honest':
        return honest();
      case 'wrongResult':
        return wrongResult(arg ? { salt: arg } : {});
      case 'slow': {
        const ms = Number(arg);
        if (!Number.isFinite(ms) || ms < 0) throw new Error(`slow needs a delay in ms: ${part}`);
        return slow(ms);
      }
      case 'crashAfter': {
        if (!arg || !(arg in ReplicateStatus)) throw new Error(`unknown status in ${part}`);
        return crashAfter(arg as ReplicateStatus);
      }
      case 'neverReveal':
        return neverReveal();
      case 'computeFails':
        return computeFails();
      default:
        throw new Error(`unknown behaviour ${part}`);
    }
  });
  return parsed.length === 0 ? honest() : combine(...parsed);
}
