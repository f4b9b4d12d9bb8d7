// A whole workerpool in-process for lifecycle tests: the service stand-ins, the scheduler and a
// simulated worker fleet, all on this Jest worker's dev chain.
import type { LocalAccount } from 'viem';
import { workerAccount } from '../../devstack/chain/accounts.js';
import { startServiceStandIns, type ServiceStandIns } from '../../devstack/services/index.js';
import { LocalEnclaveSigner } from '../../devstack/worker/enclave-signer.js';
import { WorkerFleet, type WorkerFleetOptions } from '../../devstack/worker/fleet.js';
import { RawEnvironment } from '../../src/config/load-config.js';
import { TaskStatus } from '../../src/task/task-status.js';
import { TaskRepository } from '../../src/task/task.repository.js';
import { TestChain } from './chain.js';
import { eventually, RunningScheduler, startScheduler } from './scheduler.js';

export interface Stack {
  services: ServiceStandIns;
  scheduler: RunningScheduler;
  workerpool: `0x${string}`;
  fleet?: WorkerFleet;
  startWorkers(count: number, options?: Partial<WorkerFleetOptions>): Promise<WorkerFleet>;
  workers(count: number): LocalAccount[];
  /**
   * Stops the scheduler (its database stays) and starts a new one with the same environment, on
   * the same port. `whileDown` runs in between.
   */
  restartScheduler(whileDown?: () => Promise<void>): Promise<RunningScheduler>;
  /** Waits until every task of the deal is in a final status; returns them. */
  /** Polls the deal's tasks (a full read of them: keep `pollMs` long where load matters). */
  waitForDeal(
    dealId: string,
    timeoutMs?: number,
    pollMs?: number,
  ): Promise<Awaited<ReturnType<TaskRepository['findByDeal']>>>;
  stop(): Promise<void>;
}

/** What a workerpool needs around its scheduler: the stand-ins and a workerpool of the scheduler role. */
export interface WorkerpoolSurroundings {
  services: ServiceStandIns;
  workerpool: `0x${string}`;
  /** The scheduler's variables pointing at the stand-ins. */
  schedulerEnv: Record<string, string>;
  /** A simulated fleet asking `schedulerUrl`, staked, signing TEE results with the SMS keys. */
  fleet(schedulerUrl: string, options?: Partial<WorkerFleetOptions>): WorkerFleet;
}

export async function startWorkerpoolSurroundings(
  chain: TestChain,
): Promise<WorkerpoolSurroundings> {
  const services = await startServiceStandIns({
    deployment: chain.deployment,
    freePorts: true,
    blockTime: 1,
  });
  const workerpool = (await chain.fixtures.createWorkerpool()) as `0x${string}`;
  const enclaveSigner = LocalEnclaveSigner.ofStandIns(services);
  return {
    services,
    workerpool,
    schedulerEnv: {
      IEXEC_CORE_CHAIN_ADAPTER_URL: services.env.IEXEC_CORE_CHAIN_ADAPTER_URL,
      IEXEC_CORE_CHAIN_ADAPTER_USERNAME: services.env.IEXEC_CORE_CHAIN_ADAPTER_USERNAME,
      IEXEC_CORE_CHAIN_ADAPTER_PASSWORD: services.env.IEXEC_CORE_CHAIN_ADAPTER_PASSWORD,
      IEXEC_RESULT_REPOSITORY_URL: services.env.IEXEC_RESULT_REPOSITORY_URL,
      SMS_SCONE: services.smsScone.url,
      SMS_GRAMINE: services.smsGramine.url,
      SMS_TDX: services.smsTdx.url,
    },
    fleet: (schedulerUrl, options = {}) =>
      new WorkerFleet({
        schedulerUrl,
        deployment: chain.deployment,
        resultProxyUrl: services.resultProxy.url,
        enclaveSigner,
        stake: 100_000_000_000n,
        staggerMs: 10,
        ...options,
      }),
  };
}

export async function startStack(
  chain: TestChain,
  options: { writer?: 'embedded' | 'adapter'; env?: RawEnvironment; mongoUrl?: string } = {},
): Promise<Stack> {
  const { services, workerpool, schedulerEnv, fleet } = await startWorkerpoolSurroundings(chain);
  const env: RawEnvironment = {
    ...schedulerEnv,
    IEXEC_CHAIN_WRITER: options.writer ?? 'embedded',
    ...options.env,
  };
  const scheduler = await startScheduler(chain, workerpool, { mongoUrl: options.mongoUrl, env });
  // what iExec SDK 9 asks to find this workerpool's scheduler (a restart keeps the port)
  services.compass.register(workerpool, scheduler.baseUrl);
  const stack: Stack = {
    services,
    scheduler,
    workerpool,
    workers: (count) => Array.from({ length: count }, (_, i) => workerAccount(i)),
    async startWorkers(count, fleetOptions = {}) {
      const started = fleet(scheduler.baseUrl, {
        worker: { pingIntervalMs: 1000 },
        ...fleetOptions,
      });
      await started.start(count);
      stack.fleet = started;
      return started;
    },
    async restartScheduler(whileDown) {
      const { mongoUrl, baseUrl } = stack.scheduler;
      await stack.scheduler.stop();
      await whileDown?.();
      stack.scheduler = await startScheduler(chain, workerpool, {
        mongoUrl,
        env,
        port: Number(new URL(baseUrl).port),
      });
      return stack.scheduler;
    },
    async waitForDeal(dealId, timeoutMs = 60000, pollMs = 250) {
      return eventually(
        async () => {
          const found = await stack.scheduler.get(TaskRepository).findByDeal(dealId);
          return found.length > 0 &&
            found.every(
              (t) =>
                t.currentStatus === TaskStatus.COMPLETED || t.currentStatus === TaskStatus.FAILED,
            )
            ? found
            : undefined;
        },
        timeoutMs,
        `every task of deal ${dealId} final`,
        pollMs,
      );
    },
    async stop() {
      await stack.fleet?.stop();
      await stack.scheduler.close();
      await services.stop();
    },
  };
  return stack;
}
