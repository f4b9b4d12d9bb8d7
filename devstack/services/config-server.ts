// Config Server (`GET /config/chain`, services.md §3) and Platform Registry (Spring Cloud Config
// "Environment" documents, services.md §4). Each can run alone, or both from one server: Java
// deployments often point both settings at the same place (port 8888).
import { getAddress } from 'viem';
import type { PocoDeployment } from '../poco/deployment.js';
import {
  header,
  json,
  notFound,
  serveRoutes,
  type Route,
  type ServeOptions,
  type StandInRequest,
} from './http.js';

export const CONFIG_SERVER_PORT = 8888;

export interface ChainConfigOptions {
  deployment: PocoDeployment;
  /** Seconds between blocks the scheduler should assume (default 1: the dev chain automines). */
  blockTime?: number;
  /** Default false: the dev chain charges gas, so the scheduler checks balances. */
  sidechain?: boolean;
  /** Advertised node URL (default deployment.rpcUrl; the scheduler does not use it). */
  chainNodeUrl?: string;
}

/** The `/config/chain` payload (also served by the Blockchain Adapter stand-in). */
export interface ChainConfigPayload {
  chainId: number;
  sidechain: boolean;
  chainNodeUrl: string;
  iexecHubContractAddress: string;
  blockTime: number;
}

export function chainConfigPayload(options: ChainConfigOptions): ChainConfigPayload {
  return {
    chainId: options.deployment.chainId,
    sidechain: options.sidechain ?? false,
    chainNodeUrl: options.chainNodeUrl ?? options.deployment.rpcUrl,
    iexecHubContractAddress: getAddress(options.deployment.hub),
    blockTime: options.blockTime ?? 1,
  };
}

export function chainConfigRoutes(payload: () => ChainConfigPayload): Route[] {
  return [{ method: 'GET', path: '/config/chain', handler: () => json(payload()) }];
}

/** Where the iExec SDK finds the dev stack's services besides the chain. */
export interface SdkServicesOptions {
  /** Compass: the workerpool API lookup of SDK 9. */
  compass: string;
  /** The SMS the SDK checks and pushes requester secrets to. */
  sms: string;
}

/** Name of the dev chain in the SDK document (`iexec … --chain dev`). */
export const SDK_CHAIN_NAME = 'dev';
export const SDK_CHAIN_PATH = '/iexec-sdk/chain.json';

/**
 * The SDK CLI's `chain.json` (its schema refuses unknown keys): the dev chain, its hub, SMS and
 * Compass. The JS API takes the same values as options (hubAddress, smsURL, compassURL).
 */
export interface SdkChainDocument {
  default: string;
  chains: Record<string, { id: string; host: string; hub: string; sms: string; compass: string }>;
}

export function sdkChainDocument(
  chain: ChainConfigPayload,
  services: SdkServicesOptions,
): SdkChainDocument {
  return {
    default: SDK_CHAIN_NAME,
    chains: {
      [SDK_CHAIN_NAME]: {
        id: String(chain.chainId),
        host: chain.chainNodeUrl,
        hub: chain.iexecHubContractAddress,
        sms: services.sms,
        compass: services.compass,
      },
    },
  };
}

export const SPRING_CLOUD_CONFIG_V2 = 'application/vnd.spring-cloud.config-server.v2+json';

export interface PlatformRegistryOptions {
  /** `sms.scone`: base URL of the SMS for Scone tasks. */
  smsScone: string;
  /** `sms.gramine`: base URL of the SMS for Gramine tasks. */
  smsGramine: string;
  /** `sms.tdx` (iexec-core 9.1): base URL of the SMS for TDX tasks; not served when absent. */
  smsTdx?: string;
  /** More properties of the base source (`application.yml`). */
  properties?: Record<string, string>;
  /** Per-profile properties, served as a more specific source before the base one. */
  profileProperties?: Record<string, Record<string, string>>;
  /**
   * Labels the registry knows (a git branch or tag in the real one): any other label → 404.
   * Default: every label is accepted.
   */
  labels?: string[];
  /** `version` of the documents (a git sha in the real one). */
  version?: string;
}

export interface PropertySource {
  name: string;
  source: Record<string, string>;
}

export interface SpringEnvironment {
  name: string;
  profiles: string[];
  label: string | null;
  version: string | null;
  state: string | null;
  propertySources: PropertySource[];
}

/** The document of `/{application}/{profiles}[/{label}]`: most specific source first. */
export function registryEnvironment(
  options: PlatformRegistryOptions,
  application: string,
  profileList: string,
  label: string | null,
): SpringEnvironment {
  const profiles = profileList.split(',').filter(Boolean);
  const base: PropertySource = {
    name: `devstack:${application}.yml`,
    source: {
      ...options.properties,
      'sms.scone': options.smsScone,
      'sms.gramine': options.smsGramine,
      ...(options.smsTdx ? { 'sms.tdx': options.smsTdx } : {}),
    },
  };
  // Spring lists the last profile first: it has the highest precedence
  const specific = [...profiles]
    .reverse()
    .filter((p) => options.profileProperties?.[p])
    .map((p) => ({
      name: `devstack:${application}-${p}.yml`,
      source: { ...options.profileProperties?.[p] },
    }));
  return {
    name: application,
    profiles,
    label,
    version: options.version ?? null,
    state: null,
    propertySources: [...specific, base],
  };
}

export function platformRegistryRoutes(options: () => PlatformRegistryOptions): Route[] {
  const handler = (request: StandInRequest) => {
    const { application, profiles } = request.params;
    // Spring Cloud Config clients send a `/` inside a label as `(_)`
    const label = request.params.label?.replace(/\(_\)/g, '/') ?? null;
    const current = options();
    if (application !== 'application') throw notFound(`unknown application ${application}`);
    if (label !== null && current.labels && !current.labels.includes(label)) {
      throw notFound(`unknown label ${label}`);
    }
    const accept = header(request, 'accept');
    const contentType = accept.includes(SPRING_CLOUD_CONFIG_V2)
      ? SPRING_CLOUD_CONFIG_V2
      : 'application/json';
    return json(registryEnvironment(current, application, profiles, label), 200, contentType);
  };
  return [
    { method: 'GET', path: '/:application/:profiles', handler },
    { method: 'GET', path: '/:application/:profiles/:label', handler },
  ];
}

export interface ConfigServerOptions extends ChainConfigOptions, ServeOptions {
  /** Also serve the Platform Registry documents from this server. */
  registry?: PlatformRegistryOptions;
  /** Also serve the SDK's chain document (SDK_CHAIN_PATH). */
  sdk?: SdkServicesOptions;
}

export interface ConfigServerStandIn {
  url: string;
  port: number;
  /** What `/config/chain` answers now. */
  chainConfig(): ChainConfigPayload;
  /** Changes the next answers (e.g. another block time). */
  setChainConfig(patch: Partial<ChainConfigPayload>): void;
  /** Registry options in use (undefined when this server does not serve the registry). */
  registry(): PlatformRegistryOptions | undefined;
  setRegistry(patch: Partial<PlatformRegistryOptions>): void;
  stop(): Promise<void>;
}

/** Config Server on `options.port` (0 = free port), optionally also the Platform Registry. */
export async function startConfigServer(
  options: ConfigServerOptions,
): Promise<ConfigServerStandIn> {
  let payload = chainConfigPayload(options);
  let registry = options.registry ? { ...options.registry } : undefined;
  const routes = chainConfigRoutes(() => payload);
  const sdk = options.sdk;
  if (sdk) {
    routes.push({
      method: 'GET',
      path: SDK_CHAIN_PATH,
      handler: () => json(sdkChainDocument(payload, sdk)),
    });
  }
  // `/config/chain` and the SDK document are matched first: their paths also fit
  // `/:application/:profiles`
  if (options.registry) routes.push(...platformRegistryRoutes(() => registry!));
  const server = await serveRoutes('config-server', routes, options);
  return {
    url: server.url,
    port: server.port,
    chainConfig: () => ({ ...payload }),
    setChainConfig(patch) {
      payload = { ...payload, ...patch };
    },
    registry: () => (registry ? { ...registry } : undefined),
    setRegistry(patch) {
      if (!registry) throw new Error('this Config Server does not serve the Platform Registry');
      registry = { ...registry, ...patch };
    },
    stop: server.stop,
  };
}

export interface PlatformRegistryStandIn {
  url: string;
  port: number;
  setRegistry(patch: Partial<PlatformRegistryOptions>): void;
  stop(): Promise<void>;
}

/** The Platform Registry alone. */
export async function startPlatformRegistry(
  options: PlatformRegistryOptions & ServeOptions,
): Promise<PlatformRegistryStandIn> {
  let registry: PlatformRegistryOptions = { ...options };
  const server = await serveRoutes(
    'platform-registry',
    platformRegistryRoutes(() => registry),
    options,
  );
  return {
    url: server.url,
    port: server.port,
    setRegistry(patch) {
      registry = { ...registry, ...patch };
    },
    stop: server.stop,
  };
}
