import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mongo, type Connection } from 'mongoose';
import { REPLAY_CONFIGURATION_JAVA_CLASS } from '../deal-watcher/configuration.schema.js';

const CHANGE_LOG = 'mongockChangeLog';
const MOVE_FROM_REPLAY_FIELD = 'moveFromReplayField';

/**
 * Runs the Java scheduler's one Mongock change set (`moveFromReplayField`) once per database,
 * recording it in `mongockChangeLog` as Mongock does, so a database can move between the Java
 * scheduler and this one in either direction.
 */
@Injectable()
export class MigrationsService implements OnModuleInit {
  private readonly logger = new Logger(MigrationsService.name);

  constructor(@InjectConnection() private readonly connection: Connection) {}

  async onModuleInit(): Promise<void> {
    await this.runOnce(MOVE_FROM_REPLAY_FIELD, () => this.moveFromReplayField());
  }

  private async runOnce(changeId: string, change: () => Promise<boolean>): Promise<void> {
    const log = this.connection.collection(CHANGE_LOG);
    if (await log.findOne({ changeId, state: 'EXECUTED' })) return;
    const started = Date.now();
    const applied = await change();
    await log.insertOne({
      executionId: `${started}-iexec-core-ts`,
      changeId,
      author: 'iexec',
      timestamp: new Date(),
      state: 'EXECUTED',
      type: 'EXECUTION',
      changeLogClass: 'com.iexec.core.configuration.ConfigurationRepositoryMigration',
      changeSetMethod: changeId,
      executionMillis: mongo.Long.fromNumber(Date.now() - started),
      executionHostname: 'iexec-core-ts',
    });
    if (applied) this.logger.log(`Migration ${changeId} applied`);
  }

  /** Moves a legacy `configuration.fromReplay` value into `replayConfiguration` (returns true when done). */
  async moveFromReplayField(): Promise<boolean> {
    const replay = this.connection.collection('replayConfiguration');
    if ((await replay.countDocuments()) > 0) return false;
    const configuration = this.connection.collection('configuration');
    const doc = await configuration.find().sort({ _id: 1 }).limit(1).next();
    if (!doc || doc.fromReplay === undefined || doc.fromReplay === null) return false;
    const fromBlockNumber = BigInt(String(doc.fromReplay)).toString();
    await replay.insertOne({
      _class: REPLAY_CONFIGURATION_JAVA_CLASS,
      version: mongo.Long.fromNumber(0),
      fromBlockNumber,
    });
    const rest = { ...doc };
    delete rest.fromReplay;
    await configuration.deleteOne({ _id: doc._id });
    await configuration.insertOne(rest);
    return true;
  }
}
