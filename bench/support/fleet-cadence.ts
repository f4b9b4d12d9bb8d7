// The shortest time any scheduler could take a bag of tasks through a fleet that asks for work at
// a fixed period: each worker gets at most one task per ask (R1 answers one replicate) and asks
// at least `askMs` apart, so the busiest one, with ⌈tasks / workers⌉ tasks, gets its last one
// (⌈tasks / workers⌉ − 1) periods after its first, and the deal cannot end before that.
// Chain time is left out, so this floor is below the real one and the ceiling above it.

export interface FleetCadence {
  tasks: number;
  workers: number;
  askMs: number;
}

/** Lower bound of deal matched → last task COMPLETED set by the fleet's ask cadence alone (ms). */
export function fleetCadenceFloorMs({ tasks, workers, askMs }: FleetCadence): number {
  if (tasks <= 0 || workers <= 0 || askMs < 0) throw new Error('tasks, workers > 0, askMs ≥ 0');
  return (Math.ceil(tasks / workers) - 1) * askMs;
}

/**
 * The best ratio (direct ÷ scheduler time) the fleet's cadence leaves any scheduler, or
 * undefined when it caps nothing (the direct side is slower than the floor).
 */
export function fleetCadenceCeiling(fleet: FleetCadence, directMs: number): number | undefined {
  const floor = fleetCadenceFloorMs(fleet);
  return floor > directMs ? directMs / floor : undefined;
}
