import {
  PUBLIC_CONFIGURATION_KEYS,
  publicConfigurationFingerprint,
  publicConfigurationText,
  serializePublicConfiguration,
  toPublicConfigurationBody,
  type PublicConfiguration,
} from '../../src/worker/public-configuration.js';

// worker-api.md §13, configuration fingerprint with all defaults.
const DEFAULTS: PublicConfiguration = {
  workerPoolAddress: '0x365E7BABAa85eC61Dffe5b520763062e6C29dA27',
  schedulerPublicAddress: '0x000a9c787a972f70f0903890e266f41c795c4dca',
  blockchainAdapterUrl: 'http://localhost:8888',
  configServerUrl: 'http://localhost:8888',
  resultRepositoryURL: 'http://localhost:13200',
  askForReplicatePeriod: 5000,
  requiredWorkerVersion: '',
};
const TEXT =
  'PublicConfiguration(workerPoolAddress=0x365E7BABAa85eC61Dffe5b520763062e6C29dA27, schedulerPublicAddress=0x000a9c787a972f70f0903890e266f41c795c4dca, blockchainAdapterUrl=http://localhost:8888, configServerUrl=http://localhost:8888, resultRepositoryURL=http://localhost:13200, askForReplicatePeriod=5000, requiredWorkerVersion=)';
const PING = '0x30f5c00b8ccc47f2c1ca9db216c5defb6a9fe9e1f422eb178b87e0436e48d5ba';

const ALL_NULL = {
  workerPoolAddress: null,
  schedulerPublicAddress: null,
  blockchainAdapterUrl: null,
  configServerUrl: null,
  resultRepositoryURL: null,
  askForReplicatePeriod: 0,
  requiredWorkerVersion: null,
};

describe('publicConfigurationFingerprint (§3.5)', () => {
  it('builds the §13 text for the defaults', () => {
    expect(publicConfigurationText(DEFAULTS)).toBe(TEXT);
  });

  it('gives the §13 ping value for the defaults', () => {
    expect(publicConfigurationFingerprint(DEFAULTS)).toBe(PING);
  });

  it('is stable and does not depend on the input key order', () => {
    const shuffled = Object.fromEntries(
      Object.entries(DEFAULTS).reverse(),
    ) as unknown as PublicConfiguration;
    expect(publicConfigurationFingerprint(shuffled)).toBe(PING);
  });

  it('changes with any value, including the case of an address', () => {
    expect(publicConfigurationFingerprint({ ...DEFAULTS, askForReplicatePeriod: 5001 })).not.toBe(
      PING,
    );
    expect(
      publicConfigurationFingerprint({ ...DEFAULTS, requiredWorkerVersion: '8.5.0' }),
    ).not.toBe(PING);
    expect(
      publicConfigurationFingerprint({
        ...DEFAULTS,
        workerPoolAddress: DEFAULTS.workerPoolAddress!.toLowerCase(),
      }),
    ).not.toBe(PING);
  });

  it('writes null as "null", distinct from the empty string', () => {
    const text = publicConfigurationText({ ...DEFAULTS, requiredWorkerVersion: null });
    expect(text.endsWith('requiredWorkerVersion=null)')).toBe(true);
    expect(publicConfigurationFingerprint({ ...DEFAULTS, requiredWorkerVersion: null })).not.toBe(
      PING,
    );
    expect(publicConfigurationText(ALL_NULL)).toBe(
      'PublicConfiguration(workerPoolAddress=null, schedulerPublicAddress=null, blockchainAdapterUrl=null, configServerUrl=null, resultRepositoryURL=null, askForReplicatePeriod=0, requiredWorkerVersion=null)',
    );
  });

  it('hashes UTF-8', () => {
    const a = publicConfigurationFingerprint({ ...DEFAULTS, requiredWorkerVersion: 'é' });
    const b = publicConfigurationFingerprint({
      ...DEFAULTS,
      requiredWorkerVersion: '\u00c3\u00a9',
    });
    expect(a).not.toBe(b);
  });
});

describe('serializePublicConfiguration (W5 body)', () => {
  it('emits exactly the seven keys in order', () => {
    expect(serializePublicConfiguration(DEFAULTS)).toBe(
      '{"workerPoolAddress":"0x365E7BABAa85eC61Dffe5b520763062e6C29dA27",' +
        '"schedulerPublicAddress":"0x000a9c787a972f70f0903890e266f41c795c4dca",' +
        '"blockchainAdapterUrl":"http://localhost:8888","configServerUrl":"http://localhost:8888",' +
        '"resultRepositoryURL":"http://localhost:13200","askForReplicatePeriod":5000,"requiredWorkerVersion":""}',
    );
    expect(Object.keys(toPublicConfigurationBody(DEFAULTS))).toEqual([
      ...PUBLIC_CONFIGURATION_KEYS,
    ]);
  });

  it('drops extra properties and reorders', () => {
    const messy = {
      extra: 1,
      ...Object.fromEntries(Object.entries(DEFAULTS).reverse()),
    } as unknown as PublicConfiguration;
    expect(serializePublicConfiguration(messy)).toBe(serializePublicConfiguration(DEFAULTS));
  });

  it('serializes an all-null configuration with nulls and askForReplicatePeriod 0 (§14 item 48)', () => {
    expect(serializePublicConfiguration(ALL_NULL)).toBe(
      '{"workerPoolAddress":null,"schedulerPublicAddress":null,"blockchainAdapterUrl":null,"configServerUrl":null,' +
        '"resultRepositoryURL":null,"askForReplicatePeriod":0,"requiredWorkerVersion":null}',
    );
    const missing = {} as PublicConfiguration;
    expect(serializePublicConfiguration(missing)).toBe(serializePublicConfiguration(ALL_NULL));
  });

  it('refuses a non-integer period', () => {
    expect(() =>
      serializePublicConfiguration({ ...DEFAULTS, askForReplicatePeriod: 1.5 }),
    ).toThrow();
  });
});
