import { fleetCadenceCeiling, fleetCadenceFloorMs } from '../../bench/support/fleet-cadence.js';

describe('fleet cadence floor', () => {
  it('is the busiest worker’s asks after its first', () => {
    expect(fleetCadenceFloorMs({ tasks: 50, workers: 10, askMs: 1000 })).toBe(4000);
    // 51 tasks: one worker takes 6
    expect(fleetCadenceFloorMs({ tasks: 51, workers: 10, askMs: 1000 })).toBe(5000);
    expect(fleetCadenceFloorMs({ tasks: 10, workers: 10, askMs: 1000 })).toBe(0);
    expect(fleetCadenceFloorMs({ tasks: 3, workers: 10, askMs: 250 })).toBe(0);
  });

  it('rejects a fleet that cannot run anything', () => {
    expect(() => fleetCadenceFloorMs({ tasks: 5, workers: 0, askMs: 1000 })).toThrow();
  });
});

describe('fleet cadence ceiling', () => {
  it('caps the ratio when the floor is above the direct time', () => {
    expect(fleetCadenceCeiling({ tasks: 50, workers: 10, askMs: 1000 }, 1500)).toBeCloseTo(0.375);
  });

  it('caps nothing when the direct side is slower than the floor', () => {
    expect(fleetCadenceCeiling({ tasks: 50, workers: 10, askMs: 1000 }, 12_000)).toBeUndefined();
    expect(fleetCadenceCeiling({ tasks: 10, workers: 10, askMs: 1000 }, 100)).toBeUndefined();
  });
});
