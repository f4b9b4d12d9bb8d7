import { parseAbi, type Abi, type AbiEvent, type AbiFunction, type AbiParameter } from 'viem';
import {
  appAbi,
  appRegistryAbi,
  datasetAbi,
  datasetRegistryAbi,
  hubAbi,
  nativeHubAbi,
  rlcAbi,
  tokenHubAbi,
  workerpoolAbi,
  workerpoolRegistryAbi,
} from '../../devstack/poco/abi.js';
import {
  hubArtifactAbi,
  pocoArtifact,
  registryArtifactAbi,
  rlcArtifact,
} from '../../devstack/poco/artifacts.js';

type Item = AbiFunction | AbiEvent;

/** Canonical type, tuples spelled out: a struct field of the wrong type or order shows up. */
function canonical(parameter: AbiParameter): string {
  if (!parameter.type.startsWith('tuple')) return parameter.type;
  const { components } = parameter as Extract<
    AbiParameter,
    { components: readonly AbiParameter[] }
  >;
  return `(${components.map(canonical).join(',')})${parameter.type.slice('tuple'.length)}`;
}

/** Inputs and outputs (functions) or inputs and indexed flags (events): all must match. */
function shape(item: Item): string {
  const inputs = item.inputs.map(canonical).join(',');
  if (item.type === 'function')
    return `${item.name}(${inputs}) -> (${item.outputs.map(canonical).join(',')})`;
  return `event ${item.name}(${inputs}) indexed:${item.inputs.map((input) => Boolean(input.indexed)).join(',')}`;
}

function expectSubsetOf(typed: Abi, artifact: Abi): void {
  const known = new Set(
    artifact
      .filter((item): item is Item => item.type === 'function' || item.type === 'event')
      .map(shape),
  );
  const typedItems = typed.filter(
    (item): item is Item => item.type === 'function' || item.type === 'event',
  );
  expect(typedItems.length).toBeGreaterThan(0);
  expect(typedItems.map(shape).filter((entry) => !known.has(entry))).toEqual([]);
}

describe('typed PoCo ABIs match the compiled artifacts', () => {
  it('would notice a struct field out of place', () => {
    const drifted = parseAbi([
      'struct Contribution { bytes32 resultHash; uint8 status; bytes32 resultSeal; address enclaveChallenge; uint256 weight; }',
      'function viewContribution(bytes32 _taskid, address _worker) view returns (Contribution)',
    ]);
    expect(() => expectSubsetOf(drifted, hubArtifactAbi('token'))).toThrow();
  });

  it.each([
    ['hub (token)', hubAbi, hubArtifactAbi('token')],
    ['hub (native)', hubAbi, hubArtifactAbi('native')],
    ['token escrow', tokenHubAbi, hubArtifactAbi('token')],
    ['native escrow', nativeHubAbi, hubArtifactAbi('native')],
    ['app registry', appRegistryAbi, registryArtifactAbi('app')],
    ['dataset registry', datasetRegistryAbi, registryArtifactAbi('dataset')],
    ['workerpool registry', workerpoolRegistryAbi, registryArtifactAbi('workerpool')],
    ['app', appAbi, pocoArtifact('registries/apps/App').abi],
    ['dataset', datasetAbi, pocoArtifact('registries/datasets/Dataset').abi],
    ['workerpool', workerpoolAbi, pocoArtifact('registries/workerpools/Workerpool').abi],
    ['RLC', rlcAbi, rlcArtifact().abi],
  ] as const)('%s', (_name, typed, artifact) => {
    expectSubsetOf(typed, artifact);
  });
});
