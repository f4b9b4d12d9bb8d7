import { getAddress } from 'viem';
import {
  SPRING_CLOUD_CONFIG_V2,
  startConfigServer,
  startPlatformRegistry,
  type ConfigServerStandIn,
} from '../../../../devstack/services/config-server.js';
import { parseChainConfig } from '../../../../src/chain/chain-config.js';
import { fetchChainConfig } from '../../../../src/chain/chain-context.js';
import {
  propertiesOf,
  registryPaths,
} from '../../../../src/platform-registry/platform-registry.js';
import { testChain } from '../../../support/chain.js';
import { exchange } from '../../../support/services.js';

const chain = testChain();
const V2 = { accept: SPRING_CLOUD_CONFIG_V2 };

let server: ConfigServerStandIn;
beforeAll(async () => {
  server = await startConfigServer({
    deployment: chain.deployment,
    blockTime: 1,
    registry: {
      smsScone: 'http://127.0.0.1:13300',
      smsGramine: 'http://127.0.0.1:13301',
      properties: { 'some.key': 'base' },
      profileProperties: { bellecour: { 'some.key': 'bellecour', 'sms.scone': 'http://scone-b' } },
      labels: ['v10', 'feature/x'],
      version: 'abc123',
    },
  });
});
afterAll(() => server.stop());

describe('Config Server stand-in', () => {
  it('serves the chain of the deployment in the shape the scheduler parses', async () => {
    const res = await exchange('GET', `${server.url}/config/chain`);
    expect([res.status, res.contentType]).toEqual([200, 'application/json']);
    expect(JSON.parse(res.text)).toEqual({
      chainId: chain.chainId,
      sidechain: false,
      chainNodeUrl: chain.rpcUrl,
      iexecHubContractAddress: getAddress(chain.deployment.hub),
      blockTime: 1,
    });
    expect(parseChainConfig(JSON.parse(res.text))).toEqual({
      chainId: chain.chainId,
      hubAddress: getAddress(chain.deployment.hub),
      blockTimeMs: 1000,
      sidechain: false,
    });
    // the scheduler's own boot call
    server.setChainConfig({ blockTime: 0.5, sidechain: true });
    expect(await fetchChainConfig(server.url, 1)).toMatchObject({
      blockTimeMs: 500,
      sidechain: true,
    });
    server.setChainConfig({ blockTime: 1, sidechain: false });
  });

  it('answers 404 to unknown routes and 405 to other methods', async () => {
    expect((await exchange('GET', `${server.url}/config`)).status).toBe(404);
    expect((await exchange('GET', `${server.url}/config/chain/more/than/that`)).status).toBe(404);
    expect((await exchange('POST', `${server.url}/config/chain`)).status).toBe(405);
    const alone = await startConfigServer({ deployment: chain.deployment });
    try {
      expect((await exchange('GET', `${alone.url}/application/default`)).status).toBe(404);
    } finally {
      await alone.stop();
    }
  });
});

describe('Platform Registry stand-in', () => {
  it('serves sms.scone and sms.gramine in a Spring Cloud Config environment', async () => {
    const [path] = registryPaths('', []);
    expect(path).toBe('/application/default');
    const res = await exchange('GET', `${server.url}${path}`, { headers: V2 });
    expect([res.status, res.contentType]).toEqual([200, SPRING_CLOUD_CONFIG_V2]);
    const doc = JSON.parse(res.text) as Record<string, unknown>;
    expect(doc).toMatchObject({
      name: 'application',
      profiles: ['default'],
      label: null,
      version: 'abc123',
    });
    const { properties, sources } = propertiesOf(doc);
    expect(sources).toEqual(['devstack:application.yml']);
    expect(properties.get('sms.scone')).toBe('http://127.0.0.1:13300');
    expect(properties.get('sms.gramine')).toBe('http://127.0.0.1:13301');
    expect(properties.get('some.key')).toBe('base');
  });

  it('lists the profile source first, so its properties win', async () => {
    const [path] = registryPaths('bellecour', ['v10']);
    expect(path).toBe('/application/bellecour/v10');
    const doc = JSON.parse((await exchange('GET', `${server.url}${path}`, { headers: V2 })).text);
    expect(doc).toMatchObject({ profiles: ['bellecour'], label: 'v10' });
    const { properties, sources } = propertiesOf(doc);
    expect(sources).toEqual(['devstack:application-bellecour.yml', 'devstack:application.yml']);
    expect(properties.get('sms.scone')).toBe('http://scone-b');
    expect(properties.get('sms.gramine')).toBe('http://127.0.0.1:13301');
    expect(properties.get('some.key')).toBe('bellecour');
  });

  it('answers 404 to unknown labels and applications, and decodes (_) in labels', async () => {
    const [unknown, slashed] = registryPaths('default', ['v9', 'feature/x']);
    expect((await exchange('GET', `${server.url}${unknown}`, { headers: V2 })).status).toBe(404);
    const res = await exchange('GET', `${server.url}${slashed}`, { headers: V2 });
    expect([res.status, JSON.parse(res.text).label]).toEqual([200, 'feature/x']);
    expect((await exchange('GET', `${server.url}/other-app/default`)).status).toBe(404);
    expect((await exchange('GET', `${server.url}/application/default/v10/extra`)).status).toBe(404);
    // without the v2 media type it still answers JSON
    const plain = await exchange('GET', `${server.url}/application/default`);
    expect([plain.status, plain.contentType]).toEqual([200, 'application/json']);
  });

  it('also runs alone, accepting any label when none is configured', async () => {
    const registry = await startPlatformRegistry({ smsScone: 'http://a', smsGramine: 'http://b' });
    try {
      const res = await exchange('GET', `${registry.url}/application/default/anything`, {
        headers: V2,
      });
      expect(propertiesOf(JSON.parse(res.text)).properties.get('sms.gramine')).toBe('http://b');
      // sms.tdx is served only when a TDX SMS is given (optional, as in iexec-core 9.1)
      expect(propertiesOf(JSON.parse(res.text)).properties.has('sms.tdx')).toBe(false);
      registry.setRegistry({ labels: ['main'] });
      expect((await exchange('GET', `${registry.url}/application/default/anything`)).status).toBe(
        404,
      );
      expect((await exchange('GET', `${registry.url}/config/chain`)).status).toBe(404);
    } finally {
      await registry.stop();
    }
  });
});
