import {
  defaultDealParams,
  parseDealParams,
  type DealParams,
} from '../../src/chain/deal-params.js';

const asArgs = (params: string): DealParams => ({ ...defaultDealParams(), iexecArgs: params });

describe('parseDealParams (chain.md §6.7)', () => {
  it('parses a full JSON object', () => {
    const params = JSON.stringify({
      iexec_args: 'arg1 arg2',
      iexec_input_files: ['https://a/b.txt', 'https://c/d.txt'],
      iexec_developer_logger: true,
      iexec_result_encryption: true,
      iexec_result_storage_provider: 'ipfs',
      iexec_result_storage_proxy: 'https://result.proxy',
      iexec_secrets: { '1': 'my-birthday', '5': 'my-phone' },
      iexec_tee_post_compute_image: 'image:1',
      iexec_tee_post_compute_fingerprint: 'abc',
    });
    expect(parseDealParams(params)).toEqual({
      iexecArgs: 'arg1 arg2',
      iexecInputFiles: ['https://a/b.txt', 'https://c/d.txt'],
      iexecDeveloperLoggerEnabled: true,
      iexecResultEncryption: true,
      iexecResultStorageProvider: 'ipfs',
      iexecResultStorageProxy: 'https://result.proxy',
      iexecSecrets: { '1': 'my-birthday', '5': 'my-phone' },
      iexecTeePostComputeImage: 'image:1',
      iexecTeePostComputeFingerprint: 'abc',
    });
  });

  it('fills defaults for absent keys, including the empty object', () => {
    expect(parseDealParams('{"iexec_args":"x"}')).toEqual({
      ...defaultDealParams(),
      iexecArgs: 'x',
    });
    expect(parseDealParams('{}')).toEqual(defaultDealParams());
    expect(defaultDealParams()).toEqual({
      iexecArgs: null,
      iexecInputFiles: [],
      iexecDeveloperLoggerEnabled: false,
      iexecResultEncryption: false,
      iexecResultStorageProvider: null,
      iexecResultStorageProxy: null,
      iexecSecrets: {},
      iexecTeePostComputeImage: null,
      iexecTeePostComputeFingerprint: null,
    });
  });

  it('treats JSON null values as defaults (as Jackson does)', () => {
    expect(
      parseDealParams(
        '{"iexec_args":null,"iexec_input_files":null,"iexec_secrets":null,"iexec_result_encryption":null}',
      ),
    ).toEqual(defaultDealParams());
  });

  it('accepts surrounding whitespace', () => {
    expect(parseDealParams(' {"iexec_args":"x"}\n').iexecArgs).toBe('x');
  });

  it('returns fresh default containers on every call', () => {
    const a = parseDealParams('{}');
    a.iexecInputFiles.push('mutated');
    a.iexecSecrets.k = 'v';
    expect(parseDealParams('{}')).toEqual(defaultDealParams());
  });

  describe('falls back to "the whole string is iexec_args"', () => {
    it.each([
      ['a plain command line', 'arg1 arg2'],
      ['the empty string', ''],
      ['whitespace only', '   '],
      ['broken JSON', '{"iexec_args":"x"'],
      ['trailing content', '{"iexec_args":"x"} extra'],
      ['single quotes', "{'iexec_args':'x'}"],
    ])('not JSON: %s', (_label, params) => {
      expect(parseDealParams(params)).toEqual(asArgs(params));
    });

    it.each([
      ['null (reference quirk fixed: not "no params")', 'null'],
      ['an array', '["a","b"]'],
      ['a number', '42'],
      ['a JSON string', '"hello"'],
      ['a boolean', 'true'],
    ])('JSON but not an object: %s', (_label, params) => {
      expect(parseDealParams(params)).toEqual(asArgs(params));
    });

    it.each([
      ['an unknown key', '{"iexec_args":"x","other":1}'],
      ['a key in another case', '{"IEXEC_ARGS":"x"}'],
      ['a camelCase key', '{"iexecArgs":"x"}'],
      ['__proto__', '{"__proto__":{"iexec_args":"x"}}'],
    ])('unknown key: %s', (_label, params) => {
      expect(parseDealParams(params)).toEqual(asArgs(params));
    });

    it.each([
      ['iexec_args number', '{"iexec_args":5}'],
      ['iexec_args object', '{"iexec_args":{}}'],
      ['iexec_input_files string', '{"iexec_input_files":"https://a"}'],
      ['iexec_input_files with a number', '{"iexec_input_files":["https://a",1]}'],
      ['iexec_input_files with null', '{"iexec_input_files":[null]}'],
      ['iexec_developer_logger string', '{"iexec_developer_logger":"true"}'],
      ['iexec_result_encryption number', '{"iexec_result_encryption":1}'],
      ['iexec_result_storage_provider boolean', '{"iexec_result_storage_provider":true}'],
      ['iexec_result_storage_proxy list', '{"iexec_result_storage_proxy":["x"]}'],
      ['iexec_secrets list', '{"iexec_secrets":["a"]}'],
      ['iexec_secrets non-string value', '{"iexec_secrets":{"1":2}}'],
      ['iexec_tee_post_compute_image number', '{"iexec_tee_post_compute_image":1}'],
      ['iexec_tee_post_compute_fingerprint bool', '{"iexec_tee_post_compute_fingerprint":false}'],
    ])('wrong type: %s', (_label, params) => {
      expect(parseDealParams(params)).toEqual(asArgs(params));
    });
  });

  it('keeps a __proto__ secret key as data', () => {
    const parsed = parseDealParams('{"iexec_secrets":{"__proto__":"evil"}}');
    expect(Object.keys(parsed.iexecSecrets)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed.iexecSecrets)).toBe(Object.prototype);
  });
});
