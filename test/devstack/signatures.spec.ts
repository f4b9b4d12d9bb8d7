import { parseSignature, recoverAddress, recoverMessageAddress, zeroAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  devAccount,
  devAccountCount,
  devRoles,
  FIRST_WORKER_INDEX,
  workerAccount,
} from '../../devstack/chain/accounts.js';
import { ownerFacetInitCode } from '../../devstack/poco/deploy.js';
import {
  isTeeTag,
  orderHash,
  pocoDomain,
  signOrder,
  TAG,
  toTag,
} from '../../devstack/poco/orders.js';
import {
  signWorkerpoolAuthorization,
  taskIdOf,
  workerpoolAuthorizationHash,
} from '../../devstack/poco/signatures.js';

describe('WorkerpoolAuthorization (chain.md §4.2 test vectors)', () => {
  const worker = '0x748e091bf16048cb5103E0E10F9D5a8b7fBDd860';
  const taskId: Hex = '0xd94b63fc2d3ec4b96daf84b403bbafdc8c8517e8e2addd51fec0fa4e67801be8';
  const enclave = '0x9a43BB008b7A657e1936ebf5d8e28e5c5E021596';

  it('hashes worker ‖ task ‖ enclave', () => {
    expect(workerpoolAuthorizationHash(worker, taskId, enclave)).toBe(
      '0x54a76d209e8167e1ffa3bde8e3e7b30068423ca9554e1d605d8ee8fd0f165562',
    );
  });

  it('is an EIP-191 personal signature of the hash', async () => {
    const signer = privateKeyToAccount(
      '0x2a46e8c1535792f6689b10d5c882c9363910c30751ec193ae71ec71630077909',
    );
    const { sign } = await signWorkerpoolAuthorization(signer, worker, taskId, enclave);
    const { r, s, v } = parseSignature(sign);
    expect(r).toBe('0x63f2c959ed7dfc11619e1e0b5ba8a4bf56f81ce81d0b6e6e9cdeca538cb85d97');
    expect(s).toBe('0x737747b747bc6c7d42cba859fdd030b1bed8b2513699ba78ac67dab5b785fda5');
    expect(v).toBe(28n);
    const hash = workerpoolAuthorizationHash(worker, taskId, enclave);
    expect(await recoverMessageAddress({ message: { raw: hash }, signature: sign })).toBe(
      signer.address,
    );
  });
});

describe('dev accounts', () => {
  it('are the Hardhat test mnemonic accounts, with fixed roles', () => {
    const roles = devRoles();
    expect(roles.deployer.address).toBe('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
    expect(roles.scheduler.address).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
    expect(roles.appOwner.address).toBe('0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC');
    expect(roles.datasetOwner.address).toBe('0x90F79bf6EB2c4f870365E785982E1f101E93b906');
    expect(roles.requester.address).toBe('0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65');
    expect(workerAccount(0).address).toBe(devAccount(FIRST_WORKER_INDEX).address);
    expect(workerAccount(0).address).toBe('0xBcd4042DE499D14e55001CcbB24a551F3b954096');
    expect(devAccountCount()).toBe(60);
    expect(() => workerAccount(-1)).toThrow(/natural number/);
  });
});

describe('orders and tags', () => {
  it('pads tags to bytes32 and reads the TEE bit', () => {
    expect(toTag(TAG.TEE_SCONE)).toBe(`0x${'0'.repeat(63)}3`);
    expect(toTag('0x9')).toBe(`0x${'0'.repeat(63)}9`);
    expect(isTeeTag(toTag(TAG.TEE_GRAMINE))).toBe(true);
    expect(isTeeTag(toTag(TAG.STANDARD))).toBe(false);
    expect(isTeeTag(toTag(0x2))).toBe(false);
  });

  it('signs the EIP-712 digest of the order', async () => {
    const signer = devRoles().appOwner;
    const domain = pocoDomain(31337, '0x959922be3caee4b8cd9a407cc3ac1c251c2007b1');
    const order = {
      app: '0x0000000000000000000000000000000000000001',
      appprice: 1n,
      volume: 1n,
      tag: toTag(0),
      datasetrestrict: zeroAddress,
      workerpoolrestrict: zeroAddress,
      requesterrestrict: zeroAddress,
      salt: toTag(42),
    } as const;
    const signed = await signOrder(signer, domain, 'AppOrder', order);
    const hash = orderHash(domain, 'AppOrder', signed);
    expect(hash).toBe(orderHash(domain, 'AppOrder', order));
    expect(await recoverAddress({ hash, signature: signed.sign })).toBe(signer.address);
  });

  it('derives task ids from the deal id and index', () => {
    const dealId: Hex = `0x${'ab'.repeat(32)}`;
    expect(taskIdOf(dealId, 0)).not.toBe(taskIdOf(dealId, 1));
    expect(taskIdOf(dealId, 1n)).toBe(taskIdOf(dealId, 1));
  });

  it('hand-assembles an owner() facet returning the diamond storage owner slot', () => {
    const code = ownerFacetInitCode();
    // constructor (12 bytes) + runtime (42 bytes: PUSH32 slot SLOAD ... RETURN)
    expect((code.length - 2) / 2).toBe(12 + 42);
    expect(code.slice(2, 4)).toBe('60');
  });
});
