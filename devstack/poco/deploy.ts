// Deploys PoCo v6.1.0 (a Diamond with all facets cut in at construction) on the dev chain from
// the compiled npm artifacts. Same deployer, same order => same addresses on every fresh node.
import {
  encodeDeployData,
  keccak256,
  toBytes,
  toFunctionSelector,
  zeroAddress,
  type Abi,
  type Account,
  type Address,
  type Hex,
} from 'viem';
import { devRoles } from '../chain/accounts.js';
import type { ChainClients } from '../chain/clients.js';
import { deployCode, sendContractTx } from '../chain/tx.js';
import { appRegistryAbi, datasetRegistryAbi, hubAbi, workerpoolRegistryAbi } from './abi.js';
import { linkBytecode, pocoArtifact, rlcArtifact } from './artifacts.js';
import { POCO_CATEGORIES, type PocoAsset, type PocoDeployment } from './deployment.js';

/** Same list and order as PoCo's deploy script for a non-Arbitrum chain. */
function facetNames(asset: PocoAsset): string[] {
  return [
    'IexecAccessorsABILegacyFacet',
    'IexecCategoryManagerFacet',
    'IexecConfigurationExtraFacet',
    'IexecConfigurationFacet',
    'IexecERC20Facet',
    asset === 'token' ? 'IexecEscrowTokenFacet' : 'IexecEscrowNativeFacet',
    'IexecOrderManagementFacet',
    'IexecPoco1Facet',
    'IexecPoco2Facet',
    'IexecPocoAccessorsFacet',
    'IexecPocoBoostFacet',
    'IexecPocoBoostAccessorsFacet',
    'IexecRelayFacet',
  ];
}

/**
 * Init code of a facet answering `owner()` (any selector, in fact) from the diamond storage.
 * The facets check ownership by calling owner() on the diamond itself, and the npm package lacks
 * the standard OwnershipFacet (a GitHub-only dependency). LibDiamond's storage struct lives at
 * keccak256("diamond.standard.diamond.storage"); contractOwner is its 4th slot (base + 3).
 * Runtime: PUSH32 slot, SLOAD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN.
 */
export function ownerFacetInitCode(): Hex {
  const slot = BigInt(keccak256(toBytes('diamond.standard.diamond.storage'))) + 3n;
  const runtime = `7f${slot.toString(16).padStart(64, '0')}54600052` + '60206000f3';
  const length = (runtime.length / 2).toString(16).padStart(2, '0');
  // CODECOPY(0, 12, length); RETURN(0, length): the 12-byte constructor returns the runtime
  return `0x60${length}600c60003960${length}6000f3${runtime}`;
}

/** Selectors of an ABI; fallback => 0xffffffff and receive => 0x00000000 (PoCo's Diamond rule). */
function selectorsOf(abi: Abi): Hex[] {
  const selectors: Hex[] = [];
  for (const item of abi) {
    if (item.type === 'function') selectors.push(toFunctionSelector(item));
    else if (item.type === 'fallback') selectors.push('0xffffffff');
    else if (item.type === 'receive') selectors.push('0x00000000');
  }
  return selectors;
}

const lower = (address: Address) => address.toLowerCase() as Address;

export interface DeployPocoOptions {
  asset?: PocoAsset;
  /** PoCo owner (default: the dev deployer, account #0). */
  deployer?: Account;
  /** Called after each contract creation (verbose CLI output). */
  onDeployed?: (name: string, address: Address, gasUsed: bigint) => void;
}

export async function deployPoco(
  clients: ChainClients,
  options: DeployPocoOptions = {},
): Promise<PocoDeployment> {
  const asset = options.asset ?? 'token';
  const deployer = options.deployer ?? devRoles().deployer;
  const chainId = clients.chain.id;
  const create = async (name: string, data: Hex): Promise<Address> => {
    const { address, gasUsed } = await deployCode(clients, deployer, name, data);
    options.onDeployed?.(name, address, gasUsed);
    return address;
  };

  // RLC (rlc-faucet-contract) mints the whole supply to its deployer
  const rlc = asset === 'token' ? await create('RLC', rlcArtifact().bytecode) : zeroAddress;
  // the only library called externally by the facets: deploy it and link it
  const libOrders = await create(
    'IexecLibOrders_v5',
    pocoArtifact('libs/IexecLibOrders_v5').bytecode,
  );

  const facets: Record<string, Address> = {};
  const ownerSelector = toFunctionSelector('owner()');
  facets.OwnerFacet = await create('OwnerFacet', ownerFacetInitCode());
  const cuts = [{ facetAddress: facets.OwnerFacet, action: 0, functionSelectors: [ownerSelector] }];
  const seen = new Set<Hex>([ownerSelector]);
  for (const name of facetNames(asset)) {
    const artifact = pocoArtifact(`facets/${name}`);
    facets[name] = await create(name, linkBytecode(artifact, { IexecLibOrders_v5: libOrders }));
    // a selector already served by an earlier facet stays there (first come, first served)
    const selectors = selectorsOf(artifact.abi).filter((selector) => !seen.has(selector));
    selectors.forEach((selector) => seen.add(selector));
    cuts.push({ facetAddress: facets[name], action: 0 /* Add */, functionSelectors: selectors });
  }

  // all facets are cut in by the constructor; init = 0x0 means no DiamondInit contract
  const diamond = pocoArtifact('Diamond');
  const hub = await create(
    'Diamond',
    encodeDeployData({
      abi: diamond.abi,
      bytecode: diamond.bytecode,
      args: [cuts, { owner: deployer.address, init: zeroAddress, initCalldata: '0x' }],
    }),
  );

  const registries = {
    appRegistry: { path: 'registries/apps/AppRegistry', abi: appRegistryAbi },
    datasetRegistry: { path: 'registries/datasets/DatasetRegistry', abi: datasetRegistryAbi },
    workerpoolRegistry: {
      path: 'registries/workerpools/WorkerpoolRegistry',
      abi: workerpoolRegistryAbi,
    },
  } as const;
  const registryAddresses = {} as Record<keyof typeof registries, Address>;
  for (const [key, { path, abi }] of Object.entries(registries)) {
    const address = await create(key, pocoArtifact(path).bytecode);
    registryAddresses[key as keyof typeof registries] = address;
    await sendContractTx(clients, deployer, {
      address,
      abi,
      functionName: 'initialize',
      args: [zeroAddress],
    });
    await sendContractTx(clients, deployer, {
      address,
      abi,
      functionName: 'setBaseURI',
      args: [`http://127.0.0.1/${key}/${chainId}/`],
    });
  }

  // configure() fixes the EIP-712 domain {iExecODB, 5.0.0, chainId, hub}, token and registries
  await sendContractTx(clients, deployer, {
    address: hub,
    abi: hubAbi,
    functionName: 'configure',
    args: [
      rlc,
      'Staked RLC',
      'SRLC',
      9,
      registryAddresses.appRegistry,
      registryAddresses.datasetRegistry,
      registryAddresses.workerpoolRegistry,
      zeroAddress,
    ],
  });
  for (const category of POCO_CATEGORIES) {
    await sendContractTx(clients, deployer, {
      address: hub,
      abi: hubAbi,
      functionName: 'createCategory',
      args: [category.name, category.description, BigInt(category.workClockTimeRef)],
    });
  }

  const deployedAtBlock = Number(await clients.publicClient.getBlockNumber());
  return {
    rpcUrl: clients.rpcUrl,
    chainId,
    asset,
    hub: lower(hub),
    rlc: lower(rlc),
    appRegistry: lower(registryAddresses.appRegistry),
    datasetRegistry: lower(registryAddresses.datasetRegistry),
    workerpoolRegistry: lower(registryAddresses.workerpoolRegistry),
    deployer: lower(deployer.address),
    categories: POCO_CATEGORIES.map((category) => ({ ...category })),
    deployedAtBlock,
    libOrders: lower(libOrders),
    facets: Object.fromEntries(
      Object.entries(facets).map(([name, address]) => [name, lower(address)]),
    ),
  };
}
