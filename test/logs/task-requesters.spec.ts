import type { ChainDeal } from '../../src/chain/chain-models.js';
import type { PocoReader } from '../../src/chain/poco-reader.js';
import { TaskRequesters } from '../../src/logs/task-requesters.js';
import type { TaskRepository } from '../../src/task/task.repository.js';

const REQUESTER = '0x2D29bfBEc903479fe4Ba991918bAB99B494f2bEf';

function setup(unreadable = new Set<string>()) {
  const reads: string[] = [];
  const tasks = {
    findByChainTaskId: async (id: string) =>
      id.startsWith('0xknown')
        ? { chainTaskId: id, chainDealId: id.endsWith('2') ? '0xDEAL2' : '0xdeal1' }
        : null,
  } as unknown as TaskRepository;
  const poco = {
    getChainDeal: async (dealId: string, options: { details: boolean }) => {
      expect(options).toEqual({ details: false });
      reads.push(dealId);
      return unreadable.has(dealId) ? undefined : ({ requester: REQUESTER } as ChainDeal);
    },
  } as unknown as PocoReader;
  return { requesters: new TaskRequesters(tasks, poco), reads };
}

describe('TaskRequesters', () => {
  it('reads the requester from the deal of the task, once per deal', async () => {
    const { requesters, reads } = setup();
    expect(await requesters.requesterOf('0xknown-a1')).toBe(REQUESTER);
    expect(await requesters.requesterOf('0xknown-b1')).toBe(REQUESTER);
    expect(await requesters.requesterOf('0xknown-c2')).toBe(REQUESTER);
    expect(await requesters.requesterOf('0xknown-d2')).toBe(REQUESTER);
    expect(reads).toEqual(['0xdeal1', '0xdeal2']);
  });

  it('answers undefined for an unknown task without reading the chain', async () => {
    const { requesters, reads } = setup();
    expect(await requesters.requesterOf('0xunknown')).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it('does not cache an unreadable deal', async () => {
    const unreadable = new Set(['0xdeal1']);
    const { requesters, reads } = setup(unreadable);
    expect(await requesters.requesterOf('0xknown-a1')).toBeUndefined();
    unreadable.clear();
    expect(await requesters.requesterOf('0xknown-a1')).toBe(REQUESTER);
    expect(reads).toEqual(['0xdeal1', '0xdeal1']);
  });
});
