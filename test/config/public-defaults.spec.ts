import { loadConfig } from '../../src/config/load-config.js';
import { publicDefaultWarnings } from '../../src/config/public-defaults.js';

const BASE = {
  IEXEC_CORE_WALLET_PATH: '/run/secrets/wallet.json',
  POOL_ADDRESS: '0x1234567890abcdef1234567890abcdef12345678',
};

describe('publicDefaultWarnings', () => {
  it('warns about the wallet password left at the Java default, naming the variable', () => {
    const warnings = publicDefaultWarnings(loadConfig({ ...BASE, IEXEC_CHAIN_WRITER: 'embedded' }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('IEXEC_CORE_WALLET_PASSWORD');
    expect(warnings[0]).toContain('/run/secrets/wallet.json');
  });

  it('says nothing once the wallet password is changed (embedded writer)', () => {
    const config = loadConfig({
      ...BASE,
      IEXEC_CHAIN_WRITER: 'embedded',
      IEXEC_CORE_WALLET_PASSWORD: 'a-real-secret',
    });
    expect(publicDefaultWarnings(config)).toEqual([]);
  });

  it('warns about the adapter password only in adapter mode', () => {
    const env = { ...BASE, IEXEC_CORE_WALLET_PASSWORD: 'a-real-secret' };
    expect(
      publicDefaultWarnings(loadConfig({ ...env, IEXEC_CHAIN_WRITER: 'adapter' })).join('\n'),
    ).toContain('IEXEC_CORE_CHAIN_ADAPTER_PASSWORD');
    expect(
      publicDefaultWarnings(
        loadConfig({
          ...env,
          IEXEC_CHAIN_WRITER: 'adapter',
          IEXEC_CORE_CHAIN_ADAPTER_PASSWORD: 'another-secret',
        }),
      ),
    ).toEqual([]);
  });
});
