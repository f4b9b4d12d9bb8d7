// Typed subsets of the PoCo ABIs used by the dev stack, written in human-readable form so viem
// infers argument and result types. test/devstack/abi.spec.ts checks each entry against the
// compiled artifacts (same signature, same outputs), so they cannot drift from the contracts.
import { parseAbi } from 'viem';

const STRUCTS = [
  'struct AppOrder { address app; uint256 appprice; uint256 volume; bytes32 tag; address datasetrestrict; address workerpoolrestrict; address requesterrestrict; bytes32 salt; bytes sign; }',
  'struct DatasetOrder { address dataset; uint256 datasetprice; uint256 volume; bytes32 tag; address apprestrict; address workerpoolrestrict; address requesterrestrict; bytes32 salt; bytes sign; }',
  'struct WorkerpoolOrder { address workerpool; uint256 workerpoolprice; uint256 volume; bytes32 tag; uint256 category; uint256 trust; address apprestrict; address datasetrestrict; address requesterrestrict; bytes32 salt; bytes sign; }',
  'struct RequestOrder { address app; uint256 appmaxprice; address dataset; uint256 datasetmaxprice; address workerpool; uint256 workerpoolmaxprice; address requester; uint256 volume; bytes32 tag; uint256 category; uint256 trust; address beneficiary; address callback; string params; bytes32 salt; bytes sign; }',
  'struct Resource { address pointer; address owner; uint256 price; }',
  'struct Deal { Resource app; Resource dataset; Resource workerpool; uint256 trust; uint256 category; bytes32 tag; address requester; address beneficiary; address callback; string params; uint256 startTime; uint256 botFirst; uint256 botSize; uint256 workerStake; uint256 schedulerRewardRatio; address sponsor; }',
  'struct Task { uint8 status; bytes32 dealid; uint256 idx; uint256 timeref; uint256 contributionDeadline; uint256 revealDeadline; uint256 finalDeadline; bytes32 consensusValue; uint256 revealCounter; uint256 winnerCounter; address[] contributors; bytes32 resultDigest; bytes results; uint256 resultsTimestamp; bytes resultsCallback; }',
  'struct Contribution { uint8 status; bytes32 resultHash; bytes32 resultSeal; address enclaveChallenge; uint256 weight; }',
  'struct Category { string name; string description; uint256 workClockTimeRef; }',
  'struct Account { uint256 stake; uint256 locked; }',
] as const;

/** The hub (diamond) functions and events the dev stack calls, common to token and native mode. */
export const hubAbi = parseAbi([
  ...STRUCTS,
  // administration
  'function owner() view returns (address)',
  'function configure(address, string, string, uint8, address, address, address, address)',
  'function createCategory(string, string, uint256) returns (uint256)',
  'function countCategory() view returns (uint256)',
  'function token() view returns (address)',
  'function teebroker() view returns (address)',
  'function eip712domain_separator() view returns (bytes32)',
  // escrow
  'function balanceOf(address account) view returns (uint256)',
  'function withdraw(uint256) returns (bool)',
  // deals and tasks
  'function verifySignature(address, bytes32, bytes) view returns (bool)',
  'function matchOrders(AppOrder, DatasetOrder, WorkerpoolOrder, RequestOrder) returns (bytes32)',
  'function initialize(bytes32 dealId, uint256 index) returns (bytes32)',
  'function initializeArray(bytes32[] dealIds, uint256[] indexes) returns (bool)',
  'function contribute(bytes32 taskId, bytes32 resultHash, bytes32 resultSeal, address enclaveChallenge, bytes enclaveSign, bytes authorizationSign)',
  'function reveal(bytes32 taskId, bytes32 resultDigest)',
  'function finalize(bytes32 taskId, bytes results, bytes resultsCallback)',
  'function contributeAndFinalize(bytes32 taskId, bytes32 resultDigest, bytes results, bytes resultsCallback, address enclaveChallenge, bytes enclaveSign, bytes authorizationSign)',
  'function claim(bytes32 taskId)',
  // reads
  'function viewDeal(bytes32 id) view returns (Deal)',
  'function viewTask(bytes32 id) view returns (Task)',
  'function viewContribution(bytes32 _taskid, address _worker) view returns (Contribution)',
  'function viewCategory(uint256 _catid) view returns (Category)',
  'function viewAccount(address account) view returns (Account)',
  'function viewScore(address _worker) view returns (uint256)',
  'function viewConsumed(bytes32 _id) view returns (uint256 consumed)',
  'function contribution_deadline_ratio() view returns (uint256)',
  'function reveal_deadline_ratio() view returns (uint256)',
  'function final_deadline_ratio() view returns (uint256)',
  // events
  'event OrdersMatched(bytes32 dealid, bytes32 appHash, bytes32 datasetHash, bytes32 workerpoolHash, bytes32 requestHash, uint256 volume)',
  'event SchedulerNotice(address indexed workerpool, bytes32 dealid)',
  'event TaskInitialize(bytes32 indexed taskid, address indexed workerpool)',
  'event TaskContribute(bytes32 indexed taskid, address indexed worker, bytes32 hash)',
  'event TaskConsensus(bytes32 indexed taskid, bytes32 consensus)',
  'event TaskReveal(bytes32 indexed taskid, address indexed worker, bytes32 digest)',
  'event TaskFinalize(bytes32 indexed taskid, bytes results)',
  'event TaskClaimed(bytes32 indexed taskid)',
]);

/** Escrow functions that differ between the token and the native hub. */
export const tokenHubAbi = parseAbi(['function deposit(uint256) returns (bool)']);
export const nativeHubAbi = parseAbi([
  'function deposit() payable returns (bool)',
  'function depositFor(address) payable returns (bool)',
]);

export const appRegistryAbi = parseAbi([
  'function initialize(address _previous)',
  'function setBaseURI(string _baseURI)',
  'function createApp(address _appOwner, string _appName, string _appType, bytes _appMultiaddr, bytes32 _appChecksum, bytes _appMREnclave) returns (address)',
]);

export const datasetRegistryAbi = parseAbi([
  'function initialize(address _previous)',
  'function setBaseURI(string _baseURI)',
  'function createDataset(address _datasetOwner, string _datasetName, bytes _datasetMultiaddr, bytes32 _datasetChecksum) returns (address)',
]);

export const workerpoolRegistryAbi = parseAbi([
  'function initialize(address _previous)',
  'function setBaseURI(string _baseURI)',
  'function createWorkerpool(address _workerpoolOwner, string _workerpoolDescription) returns (address)',
]);

/** Reads of the asset contracts themselves: the scheduler's own ABIs. */
export { appAbi, datasetAbi, workerpoolAbi } from '../../src/chain/poco-abi.js';

export const rlcAbi = parseAbi([
  'function balanceOf(address _owner) view returns (uint256 balance)',
  'function transfer(address _to, uint256 _value) returns (bool)',
  'function approveAndCall(address _spender, uint256 _value, bytes _extraData)',
]);
