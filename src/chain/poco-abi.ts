import { parseAbi } from 'viem';

/**
 * The parts of the PoCo hub ABI the scheduler uses. Views are the "ABILegacy" ones the Java
 * scheduler calls: they exist unchanged on PoCo v5 and v6 hubs. `viewDeal` is declared with the
 * v5 struct (no trailing `sponsor`): v6 only appends a static field to the head, so v5-layout
 * decoding reads both.
 */
export const hubAbi = parseAbi([
  'struct Resource { address pointer; address owner; uint256 price; }',
  'struct Deal { Resource app; Resource dataset; Resource workerpool; uint256 trust; uint256 category; bytes32 tag; address requester; address beneficiary; address callback; string params; uint256 startTime; uint256 botFirst; uint256 botSize; uint256 workerStake; uint256 schedulerRewardRatio; }',
  'function viewDeal(bytes32 _id) view returns (Deal deal)',
  'function viewTaskABILegacy(bytes32 _taskid) view returns (uint8 status, bytes32 dealid, uint256 idx, uint256 timeref, uint256 contributionDeadline, uint256 revealDeadline, uint256 finalDeadline, bytes32 consensusValue, uint256 revealCounter, uint256 winnerCounter, address[] contributors, bytes results)',
  'function viewContributionABILegacy(bytes32 _taskid, address _worker) view returns (uint8 status, bytes32 resultHash, bytes32 resultSeal, address enclaveChallenge)',
  'function viewCategoryABILegacy(uint256 _catid) view returns (string name, string description, uint256 workClockTimeRef)',
  'function viewScore(address _worker) view returns (uint256)',
  'function contribution_deadline_ratio() view returns (uint256)',
  'function final_deadline_ratio() view returns (uint256)',
  'function initialize(bytes32 _dealid, uint256 idx) returns (bytes32)',
  'function initializeArray(bytes32[] _dealid, uint256[] _idx) returns (bool)',
  'function finalize(bytes32 _taskid, bytes _results, bytes _resultsCallback)',
  'event SchedulerNotice(address indexed workerpool, bytes32 dealid)',
  'event TaskInitialize(bytes32 indexed taskid, address indexed workerpool)',
  'event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash)',
  'event TaskConsensus(bytes32 indexed taskid, bytes32 consensus)',
  'event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest)',
  'event TaskFinalize(bytes32 indexed taskid, bytes results)',
  'event TaskReopen(bytes32 indexed taskid)',
]);

export const appAbi = parseAbi([
  'function owner() view returns (address)',
  'function m_appName() view returns (string)',
  'function m_appType() view returns (string)',
  'function m_appMultiaddr() view returns (bytes)',
  'function m_appChecksum() view returns (bytes32)',
  'function m_appMREnclave() view returns (bytes)',
]);

export const datasetAbi = parseAbi([
  'function owner() view returns (address)',
  'function m_datasetName() view returns (string)',
  'function m_datasetMultiaddr() view returns (bytes)',
  'function m_datasetChecksum() view returns (bytes32)',
]);

export const workerpoolAbi = parseAbi([
  'function owner() view returns (address)',
  'function m_workerpoolDescription() view returns (string)',
]);
