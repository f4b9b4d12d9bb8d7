// Compiled PoCo v6.1.0 artifacts from the @iexec/poco npm package (plain Hardhat JSON), and the
// RLC token from rlc-faucet-contract. Read from node_modules at run time: nothing is compiled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Abi, Address, Hex } from 'viem';

const NODE_MODULES = join(import.meta.dirname, '..', '..', 'node_modules');
const POCO_ARTIFACTS = join(NODE_MODULES, '@iexec', 'poco', 'artifacts', 'contracts');
const RLC_ARTIFACT = join(NODE_MODULES, 'rlc-faucet-contract', 'build', 'contracts', 'RLC.json');

type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export interface Artifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
  linkReferences: LinkReferences;
}

const cache = new Map<string, Artifact>();

/** `relativePath` like 'facets/IexecPoco1Facet' or 'registries/apps/AppRegistry'. */
export function pocoArtifact(relativePath: string): Artifact {
  let artifact = cache.get(relativePath);
  if (!artifact) {
    const name = relativePath.split('/').pop() as string;
    const json = JSON.parse(
      readFileSync(join(POCO_ARTIFACTS, `${relativePath}.sol`, `${name}.json`), 'utf8'),
    ) as Artifact;
    artifact = {
      contractName: json.contractName,
      abi: json.abi,
      bytecode: json.bytecode,
      linkReferences: json.linkReferences ?? {},
    };
    cache.set(relativePath, artifact);
  }
  return artifact;
}

export function rlcArtifact(): Artifact {
  const json = JSON.parse(readFileSync(RLC_ARTIFACT, 'utf8')) as { abi: Abi; bytecode: Hex };
  return { contractName: 'RLC', abi: json.abi, bytecode: json.bytecode, linkReferences: {} };
}

/** Replaces Hardhat library placeholders (`__$<hash>$__`) at the offsets listed in linkReferences. */
export function linkBytecode(artifact: Artifact, libraries: Record<string, Address>): Hex {
  let code = artifact.bytecode.slice(2);
  for (const byName of Object.values(artifact.linkReferences)) {
    for (const [library, references] of Object.entries(byName)) {
      const address = libraries[library];
      if (!address) throw new Error(`${artifact.contractName}: no address for library ${library}`);
      for (const { start, length } of references) {
        code =
          code.slice(0, start * 2) +
          address.slice(2).toLowerCase() +
          code.slice((start + length) * 2);
      }
    }
  }
  if (code.includes('__$')) throw new Error(`${artifact.contractName}: unlinked library left`);
  return `0x${code}`;
}

/** Complete hub ABI (every facet, event and custom error) as seen through the diamond. */
export function hubArtifactAbi(asset: 'token' | 'native'): Abi {
  return asset === 'token'
    ? pocoArtifact('IexecInterfaceToken').abi
    : pocoArtifact('IexecInterfaceNative').abi;
}

export function registryArtifactAbi(kind: 'app' | 'dataset' | 'workerpool'): Abi {
  const path = {
    app: 'registries/apps/AppRegistry',
    dataset: 'registries/datasets/DatasetRegistry',
    workerpool: 'registries/workerpools/WorkerpoolRegistry',
  }[kind];
  return pocoArtifact(path).abi;
}
