import { domainSeparator, zeroAddress } from 'viem';
import { workerAccount } from '../../../devstack/chain/accounts.js';
import { appRegistryAbi, hubAbi, rlcAbi } from '../../../devstack/poco/abi.js';
import { deployPoco } from '../../../devstack/poco/deploy.js';
import { POCO_CATEGORIES } from '../../../devstack/poco/deployment.js';
import { PocoFixtures } from '../../../devstack/poco/fixtures.js';
import { pocoDomain } from '../../../devstack/poco/orders.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';

const chain = testChain();
isolateChainPerFile(chain);

const read = <F extends 'owner' | 'countCategory' | 'token' | 'eip712domain_separator'>(
  functionName: F,
) =>
  chain.clients.publicClient.readContract({
    address: chain.deployment.hub,
    abi: hubAbi,
    functionName,
  });

describe('PoCo deployment on the dev chain', () => {
  it('serves the five categories with their work-clock references', async () => {
    expect(await read('countCategory')).toBe(5n);
    const categories = await Promise.all(
      [0, 1, 2, 3, 4].map((id) => chain.fixtures.viewCategory(id)),
    );
    expect(categories.map((c) => [c.name, Number(c.workClockTimeRef)])).toEqual([
      ['XS', 300],
      ['S', 1200],
      ['M', 3600],
      ['L', 10800],
      ['XL', 36000],
    ]);
    expect(chain.deployment.categories).toEqual(POCO_CATEGORIES);
  });

  it('is owned by the deployer and configured with the RLC token and the registries', async () => {
    expect(chain.deployment.chainId).toBe(31337);
    expect(chain.deployment.asset).toBe('token');
    expect(await read('owner')).toBe(chain.roles.deployer.address);
    expect(chain.deployment.deployer).toBe(chain.roles.deployer.address.toLowerCase());
    expect((await read('token')).toLowerCase()).toBe(chain.deployment.rlc.toLowerCase());
    const supply = await chain.clients.publicClient.readContract({
      address: chain.deployment.rlc,
      abi: rlcAbi,
      functionName: 'balanceOf',
      args: [chain.roles.deployer.address],
    });
    expect(supply).toBeGreaterThan(0n);
    // a registry answers a dry-run of createApp with a fresh address
    const { result } = await chain.clients.publicClient.simulateContract({
      account: chain.roles.appOwner,
      address: chain.deployment.appRegistry,
      abi: appRegistryAbi,
      functionName: 'createApp',
      args: [
        chain.roles.appOwner.address,
        'dry-run',
        'DOCKER',
        '0x00',
        `0x${'00'.repeat(32)}`,
        '0x',
      ],
    });
    expect(result).not.toBe(zeroAddress);
  });

  it('signs orders in the EIP-712 domain PoCo computes on chain', async () => {
    const expected = domainSeparator({ domain: pocoDomain(chain.chainId, chain.deployment.hub) });
    expect(await read('eip712domain_separator')).toBe(expected);
  });

  it('deploys at the same addresses on every fresh chain', () => {
    // the deployer's nonces fix the addresses (RLC first, then the library, the facets...);
    // deployment addresses are lowercase, like every hex string of the project
    expect(chain.deployment.rlc).toBe('0x5fbdb2315678afecb367f032d93f642f64180aa3');
    expect(chain.deployment.hub).toBe('0x959922be3caee4b8cd9a407cc3ac1c251c2007b1');
  });

  it('deploys another PoCo on a running node in about a second', async () => {
    // a second, independent PoCo from another deployer (reverted with the file's snapshot)
    const started = performance.now();
    const other = await deployPoco(chain.clients, { asset: 'native', deployer: workerAccount(49) });
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`PoCo deploy (native, 31 transactions): ${ms} ms\n`);
    expect(other.hub).not.toBe(chain.deployment.hub);
    expect(other.deployer).toBe(workerAccount(49).address.toLowerCase());
    expect(
      Number((await new PocoFixtures(other, chain.clients).viewCategory(4)).workClockTimeRef),
    ).toBe(36000);
    expect(ms).toBeLessThan(5000);
  });
});
