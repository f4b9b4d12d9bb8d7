/**
 * Deal `params` string → DealParams (chain.md §6.7). Strict: a JSON object with only the known
 * keys, each of its type (JSON null = default). On any failure the whole string is the command
 * line (`iexec_args`) and everything else takes its default.
 */

export interface DealParams {
  /** `iexec_args`: the command line. */
  iexecArgs: string | null;
  /** `iexec_input_files` */
  iexecInputFiles: string[];
  /** `iexec_developer_logger` (deprecated) */
  iexecDeveloperLoggerEnabled: boolean;
  /** `iexec_result_encryption` */
  iexecResultEncryption: boolean;
  /** `iexec_result_storage_provider`, e.g. `ipfs`, `dropbox` */
  iexecResultStorageProvider: string | null;
  /** `iexec_result_storage_proxy` */
  iexecResultStorageProxy: string | null;
  /** `iexec_secrets`: app secret index → requester secret name */
  iexecSecrets: Record<string, string>;
  /** `iexec_tee_post_compute_image` (deprecated) */
  iexecTeePostComputeImage: string | null;
  /** `iexec_tee_post_compute_fingerprint` (deprecated) */
  iexecTeePostComputeFingerprint: string | null;
}

export const IPFS_RESULT_STORAGE_PROVIDER = 'ipfs';
export const DROPBOX_RESULT_STORAGE_PROVIDER = 'dropbox';

type Reader = (value: unknown) => { ok: true; value: unknown } | { ok: false };

const ok = (value: unknown) => ({ ok: true as const, value });
const fail = { ok: false as const };

const string: Reader = (v) => (typeof v === 'string' ? ok(v) : fail);
const boolean: Reader = (v) => (typeof v === 'boolean' ? ok(v) : fail);
const stringList: Reader = (v) =>
  Array.isArray(v) && v.every((item) => typeof item === 'string') ? ok([...v]) : fail;
const stringMap: Reader = (v) =>
  isPlainObject(v) && Object.values(v).every((item) => typeof item === 'string')
    ? // fromEntries defines own properties, so a `__proto__` key stays data.
      ok(Object.fromEntries(Object.entries(v)))
    : fail;

const FIELDS: Record<string, { field: keyof DealParams; read: Reader }> = {
  iexec_args: { field: 'iexecArgs', read: string },
  iexec_input_files: { field: 'iexecInputFiles', read: stringList },
  iexec_developer_logger: { field: 'iexecDeveloperLoggerEnabled', read: boolean },
  iexec_result_encryption: { field: 'iexecResultEncryption', read: boolean },
  iexec_result_storage_provider: { field: 'iexecResultStorageProvider', read: string },
  iexec_result_storage_proxy: { field: 'iexecResultStorageProxy', read: string },
  iexec_secrets: { field: 'iexecSecrets', read: stringMap },
  iexec_tee_post_compute_image: { field: 'iexecTeePostComputeImage', read: string },
  iexec_tee_post_compute_fingerprint: { field: 'iexecTeePostComputeFingerprint', read: string },
};

export function defaultDealParams(): DealParams {
  return {
    iexecArgs: null,
    iexecInputFiles: [],
    iexecDeveloperLoggerEnabled: false,
    iexecResultEncryption: false,
    iexecResultStorageProvider: null,
    iexecResultStorageProxy: null,
    iexecSecrets: {},
    iexecTeePostComputeImage: null,
    iexecTeePostComputeFingerprint: null,
  };
}

export function parseDealParams(params: string): DealParams {
  return parseJsonParams(params) ?? { ...defaultDealParams(), iexecArgs: params };
}

function parseJsonParams(params: string): DealParams | undefined {
  let json: unknown;
  try {
    json = JSON.parse(params);
  } catch {
    return undefined;
  }
  // Unlike the reference, `null` (and any non-object JSON) is a plain command line.
  if (!isPlainObject(json)) return undefined;
  const result = defaultDealParams();
  const target = result as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(json)) {
    if (!Object.hasOwn(FIELDS, key)) return undefined;
    if (value === null) continue; // Jackson: null keeps the default
    const { field, read } = FIELDS[key];
    const parsed = read(value);
    if (!parsed.ok) return undefined;
    target[field] = parsed.value;
  }
  return result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
