import { toEventSelector, toFunctionSelector } from 'viem';
import type { AbiEvent, AbiFunction } from 'viem';
import { appAbi, datasetAbi, hubAbi } from '../../src/chain/poco-abi.js';

const fn = (abi: readonly unknown[], name: string) =>
  toFunctionSelector((abi as AbiFunction[]).find((x) => x.type === 'function' && x.name === name)!);
const ev = (name: string) =>
  toEventSelector(
    (hubAbi as readonly unknown[] as AbiEvent[]).find(
      (x) => x.type === 'event' && x.name === name,
    )!,
  );

// Selectors and topics as listed in chain.md (§5, §8, §9, §10) — the same calls as the Java scheduler.
describe('PoCo ABI subset', () => {
  it.each([
    ['viewDeal', '0xb74861b2'],
    ['viewTaskABILegacy', '0x248ad6a0'],
    ['viewContributionABILegacy', '0x11e35aba'],
    ['viewCategoryABILegacy', '0xf9353b8d'],
    ['viewScore', '0xdb230b52'],
    ['contribution_deadline_ratio', '0x74ed5244'],
    ['initialize', '0x5b36c66b'],
    ['finalize', '0x8fc375e5'],
  ])('hub %s has selector %s', (name, selector) => {
    expect(fn(hubAbi, name)).toBe(selector);
  });

  it.each([
    ['m_appName', '0x358982a3'],
    ['m_appType', '0xf8c2ceb3'],
    ['m_appMultiaddr', '0x39e75d45'],
    ['m_appChecksum', '0x84aaf12e'],
    ['m_appMREnclave', '0xe30d26a8'],
  ])('app %s has selector %s', (name, selector) => {
    expect(fn(appAbi, name)).toBe(selector);
  });

  it.each([
    ['m_datasetName', '0x0847c431'],
    ['m_datasetMultiaddr', '0xa61ca6c5'],
    ['m_datasetChecksum', '0x1ba99d7e'],
  ])('dataset %s has selector %s', (name, selector) => {
    expect(fn(datasetAbi, name)).toBe(selector);
  });

  it.each([
    ['SchedulerNotice', '0x692ad61076dceddd0f1a861f737553dd61fc8501cf4190d29c4e90af6607f765'],
    ['TaskConsensus', '0xf6d49bf3e05d33a4bc497d3c793fb5756388bb96b947cf51bb60aaecb0e022e3'],
    ['TaskContribute', '0x3fdb8d7797562d49a81078dbf7fa1771958ea452f8b13d1148383bd9506aecfb'],
    ['TaskReveal', '0x4b1763d473ac8fa80b4432ba90047e1b92444d8fabc55e6a002d9b1a316d7959'],
    ['TaskFinalize', '0x78ce8a8bc0fcb704e8ba3b3dbb36aa88002df8038128b4af2f27ef65db665044'],
    ['TaskReopen', '0x3afe0f24796ce653c6ab1f3e7aba5ce564eece5e82aee724aff28253e829f07b'],
    ['TaskInitialize', '0x252992fb0468d68d6a5784ec03214f0d0a362083f2d7ebd157af43b017a22e06'],
  ])('event %s has topic %s', (name, topic) => {
    expect(ev(name)).toBe(topic);
  });
});
