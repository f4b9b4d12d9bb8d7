import { hexToString, type Hex } from 'viem';
import type { TaskDescriptionFacts } from '../task/rules/task-description-facts.js';
import { ChainDeal, isNonZeroAddress } from './chain-models.js';
import { parseDealParams } from './deal-params.js';
import { chainTaskId as computeChainTaskId } from './task-id.js';
import { isTeeTag, teeFrameworkOfTag, TeeFramework } from './tee-tag.js';

/** What the scheduler knows of a task from the chain (chain.md §7); immutable once read. */
export interface TaskDescription extends TaskDescriptionFacts {
  chainTaskId: string;
  chainDealId: string;
  botIndex: number;
  botFirstIndex: number;
  botSize: number;
  requester: string;
  beneficiary: string;
  callback: string;
  appAddress: string;
  appUri: string;
  appEnclaveConfiguration?: Record<string, unknown>;
  cmd: string | null;
  inputFiles: string[];
  isTeeTask: boolean;
  teeFramework?: TeeFramework;
  isResultEncryption: boolean;
  resultStorageProvider: string | null;
  resultStorageProxy: string | null;
  secrets: Record<string, string>;
  datasetAddress: string;
  datasetUri: string;
  datasetName: string;
  datasetChecksum: string;
  trust: bigint;
  tag: Hex;
  /** ms */
  maxExecutionTime: number;
  workerpool: string;
}

export function containsCallback(d: Pick<TaskDescription, 'callback'>): boolean {
  return isNonZeroAddress(d.callback);
}

/** Builds the description of task `index` of a deal read "with details". */
export function taskDescriptionOf(deal: ChainDeal, index: number): TaskDescription {
  const params = parseDealParams(deal.params);
  const dataset = deal.chainDataset;
  const hasDataset =
    !!dataset && isNonZeroAddress(dataset.address) && dataset.uri !== '0x' && !!dataset.checksum;
  const teeFramework = teeFrameworkOfTag(deal.tag);
  return {
    chainTaskId: computeChainTaskId(deal.chainDealId, index),
    chainDealId: deal.chainDealId,
    botIndex: index,
    botFirstIndex: deal.botFirst,
    botSize: deal.botSize,
    requester: deal.requester,
    beneficiary: deal.beneficiary,
    callback: deal.callback,
    appAddress: deal.app.pointer,
    appUri: deal.chainApp?.uri ?? '',
    appEnclaveConfiguration: deal.chainApp?.enclaveConfiguration,
    cmd: params.iexecArgs,
    inputFiles: params.iexecInputFiles,
    isTeeTask: isTeeTag(deal.tag),
    teeFramework,
    isResultEncryption: params.iexecResultEncryption,
    resultStorageProvider: params.iexecResultStorageProvider,
    resultStorageProxy: params.iexecResultStorageProxy,
    secrets: params.iexecSecrets,
    datasetAddress: hasDataset ? dataset.address : '',
    datasetUri: hasDataset ? decodeDatasetUri(dataset.uri) : '',
    datasetName: hasDataset ? dataset.name : '',
    datasetChecksum: hasDataset ? dataset.checksum : '',
    trust: deal.trust,
    tag: deal.tag,
    maxExecutionTime: deal.category.maxExecutionTime,
    workerpool: deal.workerpool.pointer,
  };
}

/** Multiaddr bytes as text (a binary multiaddr is left as hex: workers decode it themselves). */
function decodeDatasetUri(uri: string): string {
  if (!uri.startsWith('0x')) return uri;
  try {
    const text = hexToString(uri as Hex);
    return /^[\x20-\x7e]*$/.test(text) ? text : uri;
  } catch {
    return uri;
  }
}
