import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyToAccount } from 'viem/accounts';
import { decryptKeystore } from '../../../src/chain/keystore.js';
import { workerpoolAbi } from '../../../devstack/poco/abi.js';
import { writeSchedulerWallet } from '../../../devstack/wallet.js';
import { isolateChainPerFile, testChain } from '../../support/chain.js';

const chain = testChain();
isolateChainPerFile(chain);

describe('dev scheduler wallet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iexec-wallet-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a fast keystore of the account that owns the dev workerpools', async () => {
    const wallet = writeSchedulerWallet(join(dir, 'nested', 'wallet.json'));
    expect(statSync(wallet.path).mode & 0o777).toBe(0o600);
    const started = performance.now();
    const key = decryptKeystore(readFileSync(wallet.path, 'utf8'), wallet.password);
    expect(performance.now() - started).toBeLessThan(500);
    expect(privateKeyToAccount(key).address).toBe(wallet.address);
    expect(wallet.address).toBe(chain.roles.scheduler.address);

    const workerpool = await chain.fixtures.createWorkerpool();
    const owner = await chain.clients.publicClient.readContract({
      address: workerpool,
      abi: workerpoolAbi,
      functionName: 'owner',
    });
    expect(owner).toBe(wallet.address);
  });
});
