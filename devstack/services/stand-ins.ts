// Every service the scheduler talks to, started together on 127.0.0.1, with the environment a
// scheduler needs to use them. Default ports are the scheduler's defaults (dev stack); tests
// pass `freePorts: true`.
import type { LocalAccount } from 'viem';
import type { ChainClients } from '../chain/clients.js';
import { createChainClients } from '../chain/clients.js';
import type { PocoDeployment } from '../poco/deployment.js';
import {
  BLOCKCHAIN_ADAPTER_PORT,
  startBlockchainAdapter,
  type BlockchainAdapterStandIn,
} from './blockchain-adapter.js';
import { COMPASS_PORT, startCompass, type CompassStandIn } from './compass.js';
import {
  CONFIG_SERVER_PORT,
  startConfigServer,
  type ConfigServerStandIn,
  type PlatformRegistryOptions,
  SDK_CHAIN_PATH,
} from './config-server.js';
import { DEFAULT_HOST } from './http.js';
import { RESULT_PROXY_PORT, startResultProxy, type ResultProxyStandIn } from './result-proxy.js';
import {
  SMS_GRAMINE_PORT,
  SMS_SCONE_PORT,
  SMS_TDX_PORT,
  startSms,
  type SmsStandIn,
} from './sms.js';

export const DEFAULT_PORTS = {
  /** Config Server and Platform Registry (one server). */
  configServer: CONFIG_SERVER_PORT,
  blockchainAdapter: BLOCKCHAIN_ADAPTER_PORT,
  resultProxy: RESULT_PROXY_PORT,
  smsScone: SMS_SCONE_PORT,
  smsGramine: SMS_GRAMINE_PORT,
  smsTdx: SMS_TDX_PORT,
  /** The SDK's workerpool API lookup (register the workerpool once its scheduler is up). */
  compass: COMPASS_PORT,
} as const;
export type StandInName = keyof typeof DEFAULT_PORTS;

export interface ServiceStandInsOptions {
  deployment: PocoDeployment;
  clients?: ChainClients;
  /** Every stand-in on a free port (tests). Default false: DEFAULT_PORTS. */
  freePorts?: boolean;
  /** Port overrides (0 = free port), on top of DEFAULT_PORTS or freePorts. */
  ports?: Partial<Record<StandInName, number>>;
  host?: string;
  /** `/config/chain` blockTime in seconds (default 1). */
  blockTime?: number;
  sidechain?: boolean;
  /** The adapter's wallet (default: the scheduler role, owner of the dev workerpools). */
  adapterWallet?: LocalAccount;
  adapterUsername?: string;
  adapterPassword?: string;
  /** Registry options besides the SMS URLs (labels, extra properties). */
  registry?: Omit<PlatformRegistryOptions, 'smsScone' | 'smsGramine' | 'smsTdx'>;
  log?: (line: string) => void;
}

export interface ServiceStandIns {
  configServer: ConfigServerStandIn;
  blockchainAdapter: BlockchainAdapterStandIn;
  resultProxy: ResultProxyStandIn;
  smsScone: SmsStandIn;
  smsGramine: SmsStandIn;
  smsTdx: SmsStandIn;
  compass: CompassStandIn;
  urls: Record<StandInName, string> & { platformRegistry: string; sdkChain: string };
  /** IEXEC_CONFIG_SERVER_URL, IEXEC_PLATFORM_REGISTRY, IEXEC_CORE_CHAIN_ADAPTER_*, … */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts the seven stand-ins (Config Server + Registry, adapter, Result Proxy, three SMS, Compass). */
export async function startServiceStandIns(
  options: ServiceStandInsOptions,
): Promise<ServiceStandIns> {
  const { deployment, log } = options;
  const host = options.host ?? DEFAULT_HOST;
  const port = (name: StandInName) =>
    options.ports?.[name] ?? (options.freePorts ? 0 : DEFAULT_PORTS[name]);
  const clients = options.clients ?? createChainClients(deployment);
  const started: { stop(): Promise<void> }[] = [];
  const track = <T extends { stop(): Promise<void> }>(service: T): T => {
    started.push(service);
    return service;
  };
  const stopAll = async () => {
    await Promise.allSettled(started.splice(0).map((service) => service.stop()));
  };
  try {
    const [smsScone, smsGramine, smsTdx, resultProxy, blockchainAdapter, compass] = await Promise.all([
      startSms({ deployment, clients, framework: 'SCONE', port: port('smsScone'), host, log }).then(
        track,
      ),
      startSms({
        deployment,
        clients,
        framework: 'GRAMINE',
        port: port('smsGramine'),
        host,
        log,
      }).then(track),
      startSms({ deployment, clients, framework: 'TDX', port: port('smsTdx'), host, log }).then(
        track,
      ),
      startResultProxy({ deployment, clients, port: port('resultProxy'), host, log }).then(track),
      startBlockchainAdapter({
        deployment,
        clients,
        port: port('blockchainAdapter'),
        host,
        log,
        blockTime: options.blockTime,
        sidechain: options.sidechain,
        wallet: options.adapterWallet,
        username: options.adapterUsername,
        password: options.adapterPassword,
      }).then(track),
      startCompass({ chainId: deployment.chainId, port: port('compass'), host, log }).then(track),
    ]);
    const configServer = track(
      await startConfigServer({
        deployment,
        port: port('configServer'),
        host,
        log,
        blockTime: options.blockTime,
        sidechain: options.sidechain,
        registry: {
          ...options.registry,
          smsScone: smsScone.url,
          smsGramine: smsGramine.url,
          smsTdx: smsTdx.url,
        },
        // SDK 9 makes TDX deals by default: its chain document points at the TDX SMS
        sdk: { compass: compass.url, sms: smsTdx.url },
      }),
    );
    const urls = {
      configServer: configServer.url,
      platformRegistry: configServer.url,
      blockchainAdapter: blockchainAdapter.url,
      resultProxy: resultProxy.url,
      smsScone: smsScone.url,
      smsGramine: smsGramine.url,
      smsTdx: smsTdx.url,
      compass: compass.url,
      sdkChain: `${configServer.url}${SDK_CHAIN_PATH}`,
    };
    const env = {
      IEXEC_CONFIG_SERVER_URL: urls.configServer,
      IEXEC_PLATFORM_REGISTRY: urls.platformRegistry,
      IEXEC_CORE_CHAIN_ADAPTER_URL: urls.blockchainAdapter,
      IEXEC_CORE_CHAIN_ADAPTER_USERNAME: blockchainAdapter.username,
      IEXEC_CORE_CHAIN_ADAPTER_PASSWORD: blockchainAdapter.password,
      IEXEC_RESULT_REPOSITORY_URL: urls.resultProxy,
      IEXEC_PRIVATE_CHAIN_ADDRESS: deployment.rpcUrl,
      IEXEC_CHAIN_WRITER: 'adapter',
    };
    return {
      configServer,
      blockchainAdapter,
      resultProxy,
      smsScone,
      smsGramine,
      smsTdx,
      compass,
      urls,
      env,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
