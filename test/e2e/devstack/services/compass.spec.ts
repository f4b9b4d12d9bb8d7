import { getAddress } from 'viem';
import { startCompass, type CompassStandIn } from '../../../../devstack/services/compass.js';
import { SDK_CHAIN_PATH, startConfigServer } from '../../../../devstack/services/config-server.js';
import { testChain } from '../../../support/chain.js';
import { exchange } from '../../../support/services.js';

const chain = testChain();
const POOL = '0x00000000000000000000000000000000000000aa';

let compass: CompassStandIn;
beforeAll(async () => {
  compass = await startCompass({ chainId: chain.chainId });
});
afterAll(() => compass.stop());

describe('Compass stand-in', () => {
  it("answers a registered workerpool's API URL, whatever the address case", async () => {
    compass.register(POOL, 'http://127.0.0.1:13000/');
    for (const address of [POOL, getAddress(POOL), POOL.toUpperCase().replace('0X', '0x')]) {
      const res = await exchange('GET', `${compass.url}/${chain.chainId}/workerpools/${address}`);
      expect([res.status, res.contentType]).toEqual([200, 'application/json']);
      expect(JSON.parse(res.text)).toEqual({
        address: getAddress(POOL),
        apiUrl: 'http://127.0.0.1:13000',
      });
    }
  });

  it('answers 404 to another chain, an unknown workerpool or a non-address', async () => {
    compass.register(POOL, 'http://127.0.0.1:13000');
    const other = '0x00000000000000000000000000000000000000bb';
    for (const [path, reason] of [
      [`/1/workerpools/${POOL}`, 'unknown chain 1'],
      [`/${chain.chainId}/workerpools/${other}`, `unknown workerpool ${getAddress(other)}`],
      [`/${chain.chainId}/workerpools/pool.eth`, 'not an address: pool.eth'],
    ]) {
      const res = await exchange('GET', `${compass.url}${path}`);
      expect([res.status, res.reason]).toEqual([404, reason]);
    }
    compass.unregister(POOL);
    expect(
      (await exchange('GET', `${compass.url}/${chain.chainId}/workerpools/${POOL}`)).status,
    ).toBe(404);
  });
});

describe('the SDK chain document of the Config Server stand-in', () => {
  it("serves the SDK CLI's chain.json: chain, hub, SMS and Compass", async () => {
    const server = await startConfigServer({
      deployment: chain.deployment,
      registry: { smsScone: 'http://scone', smsGramine: 'http://gramine' },
      sdk: { compass: compass.url, sms: 'http://gramine' },
    });
    try {
      const res = await exchange('GET', `${server.url}${SDK_CHAIN_PATH}`);
      expect([res.status, res.contentType]).toEqual([200, 'application/json']);
      expect(JSON.parse(res.text)).toEqual({
        default: 'dev',
        chains: {
          dev: {
            id: String(chain.chainId),
            host: chain.rpcUrl,
            hub: getAddress(chain.deployment.hub),
            sms: 'http://gramine',
            compass: compass.url,
          },
        },
      });
      // the registry documents are still served next to it
      expect((await exchange('GET', `${server.url}/application/default`)).status).toBe(200);
    } finally {
      await server.stop();
    }
    const without = await startConfigServer({ deployment: chain.deployment });
    try {
      expect((await exchange('GET', `${without.url}${SDK_CHAIN_PATH}`)).status).toBe(404);
    } finally {
      await without.stop();
    }
  });
});
