import { ChainEnvironment } from './environment/chain.environment.js';
import { JobsEnvironment } from './environment/jobs.environment.js';
import { ServerEnvironment } from './environment/server.environment.js';
import { ServicesEnvironment } from './environment/services.environment.js';

export { CHAIN_WRITER_MODES } from './environment/chain.environment.js';
export { LOG_LEVELS } from './environment/server.environment.js';

/**
 * Every environment variable the scheduler reads, validated, declared in one class per section
 * (`environment/`). The property name is the variable name. Names, defaults and types follow
 * iexec-core 8.5 (persistence-and-ops.md §8); `extension` marks the few this implementation adds.
 * The README table and `.env.example` are generated from these declarations, in this order (and
 * a test keeps them in sync).
 */
export const ENVIRONMENT_SECTIONS = [
  ServerEnvironment,
  ChainEnvironment,
  ServicesEnvironment,
  JobsEnvironment,
] as const;

export type EnvironmentSection = InstanceType<(typeof ENVIRONMENT_SECTIONS)[number]>;

/** All the sections' variables, as {@link loadConfig} hands them to `AppConfig`. */
export type Environment = ServerEnvironment &
  ChainEnvironment &
  ServicesEnvironment &
  JobsEnvironment;
