import { partitionLanes } from '../../bench/chaos/lanes.js';

describe('partitionLanes', () => {
  it('gives every scenario to exactly one lane, in table order within a lane', () => {
    const lanes = partitionLanes([130, 50, 75, 35, 60, 45, 110], 2);
    expect(lanes.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const lane of lanes) expect(lane).toEqual([...lane].sort((a, b) => a - b));
  });

  it('balances the expected time: the longest two scenarios go to different lanes', () => {
    const expected = [130, 50, 75, 35, 60, 45, 110];
    const lanes = partitionLanes(expected, 2);
    const totals = lanes.map((lane) => lane.reduce((sum, i) => sum + expected[i], 0));
    expect(Math.abs(totals[0] - totals[1])).toBeLessThanOrEqual(35);
    expect(lanes.find((lane) => lane.includes(0))).not.toContain(6);
  });

  it('never makes more lanes than scenarios, nor fewer than one', () => {
    expect(partitionLanes([10, 20], 4)).toEqual([[1], [0]]);
    expect(partitionLanes([10, 20], 0)).toEqual([[0, 1]]);
  });
});
