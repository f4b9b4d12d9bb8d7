import { Registry } from 'prom-client';
import { OperationMeters } from '../../src/metrics/operation-meters.js';

function sample(text: string, pattern: RegExp): number | undefined {
  const line = text.split('\n').find((l) => pattern.test(l));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('OperationMeters', () => {
  it('reads the latest block, its age and the wallet balance at scrape time', async () => {
    const registry = new Registry();
    const meters = new OperationMeters(registry, () => Date.parse('2026-01-01T00:01:00Z'));
    let balance: bigint | undefined = 5n * 10n ** 18n;
    meters.readChainFiguresFrom(() => ({
      latestBlock: 1234n,
      latestBlockTimestamp: new Date('2026-01-01T00:00:48Z'),
    }));
    meters.readWalletBalanceFrom(async () => balance);
    let text = await registry.metrics();
    expect(sample(text, /^iexec_core_chain_latest_block_number /)).toBe(1234);
    expect(sample(text, /^iexec_core_chain_latest_block_age_seconds /)).toBe(12);
    expect(sample(text, /^iexec_core_wallet_balance_wei /)).toBe(5e18);
    balance = undefined; // node down: the last good read stays
    text = await registry.metrics();
    expect(sample(text, /^iexec_core_wallet_balance_wei /)).toBe(5e18);
  });

  it('counts RPC calls and database commands by name and outcome', async () => {
    const registry = new Registry();
    const meters = new OperationMeters(registry);
    meters.observeRpcCall('eth_call', 'success', 0.002);
    meters.observeRpcCall('eth_call', 'success', 0.003);
    meters.observeRpcCall('eth_getLogs', 'failure', 10);
    meters.observeMongoCommand('find', 'success', 0.001);
    meters.observeHttpRequest('GET', '/tasks/:chainTaskId', 404, undefined, 0.01);
    const text = await registry.metrics();
    expect(
      sample(
        text,
        /^iexec_core_rpc_requests_seconds_count\{method="eth_call",outcome="success"\} /,
      ),
    ).toBe(2);
    expect(
      sample(
        text,
        /^iexec_core_rpc_requests_seconds_count\{method="eth_getLogs",outcome="failure"\} /,
      ),
    ).toBe(1);
    expect(
      sample(text, /^iexec_core_mongo_commands_seconds_count\{command="find",outcome="success"\} /),
    ).toBe(1);
    expect(text).toContain(
      'http_server_requests_seconds_count{method="GET",uri="/tasks/{chainTaskId}",status="404",outcome="CLIENT_ERROR",exception="none"} 1',
    );
  });
});
