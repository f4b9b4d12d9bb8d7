/** Milliseconds since the epoch. Injected where tests need to move time (expiries, liveness). */
export type Clock = () => number;

/** Injection token of an optional {@link Clock}; services fall back to {@link systemClock}. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = () => Date.now();
