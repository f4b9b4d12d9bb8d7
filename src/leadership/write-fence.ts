import type { Connection } from 'mongoose';
import type { LeaseKeeper } from './lease-keeper.js';

/**
 * The write fence: every MongoDB write, chain transaction and worker-API answer first asks
 * {@link assertLeading}, synchronously. A process that is no longer certain of its lease by its
 * monotonic clock (e.g. it was frozen past the lease and just woke up) stops there, before
 * anything leaves it; it never acts on a lease it has not re-read. Installed once by main.ts;
 * without it (in-process tests) the check is a no-op.
 */
interface ActiveFence {
  keeper: LeaseKeeper;
  /** Stops the process; never returns. */
  onLost: (reason: string) => never;
}

let active: ActiveFence | undefined;

export function installFence(keeper: LeaseKeeper, onLost: (reason: string) => never): void {
  active = { keeper, onLost };
}

export function uninstallFence(): void {
  active = undefined;
}

/** The keeper behind the fence, when one is installed. */
export function fencedKeeper(): LeaseKeeper | undefined {
  return active?.keeper;
}

export function assertLeading(what: string): void {
  if (active && !active.keeper.isCertain())
    active.onLost(
      `lease ${active.keeper.role} (version ${active.keeper.leaseVersion}) before ${what}`,
    );
}

/** Commands that change the database (reads and the driver's own handshakes pass). */
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'bulkWrite',
  'create',
  'createIndexes',
  'drop',
  'dropIndexes',
  'dropDatabase',
  'renameCollection',
  'collMod',
]);

export function isWriteCommand(commandName: string): boolean {
  return WRITE_COMMANDS.has(commandName);
}

/**
 * Fences a connection: the driver emits `commandStarted` synchronously before it writes the
 * command to the socket, so a stop in there means the command is never sent.
 * Needs `monitorCommands: true` on the connection.
 */
export function fenceConnection(connection: Connection): Connection {
  connection.getClient().on('commandStarted', (event) => {
    if (isWriteCommand(event.commandName)) assertLeading(`MongoDB ${event.commandName}`);
  });
  return connection;
}
