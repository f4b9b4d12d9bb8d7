// Local stand-ins of the iExec services the scheduler calls (docs/devstack.md).
export * from './blockchain-adapter.js';
export type {
  AdapterCommand,
  AdapterCommandKind,
  AdapterCommandStatus,
} from './adapter-commands.js';
export * from './compass.js';
export * from './config-server.js';
export { REASON_HEADER } from './http.js';
export * from './result-proxy.js';
export * from './sms.js';
export * from './stand-ins.js';
