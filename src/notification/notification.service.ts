import { Inject, Injectable, Logger } from '@nestjs/common';
import { BrokerStats, StompBroker } from './stomp/stomp-broker.js';
import { serializeTaskNotification, TaskNotification, taskTopic } from './task-notification.js';

/** Publishes task notifications on `/topic/task/{chainTaskId}` (worker-api.md §8.3–8.6). */
@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(@Inject(StompBroker) private readonly broker: StompBroker) {}

  /**
   * Fire-and-forget: delivered to the sessions subscribed right now, never stored or replayed.
   * Returns the number of MESSAGE frames queued (one per matching subscription). Targeting by
   * `workersAddress` is done by the workers themselves.
   */
  notify(notification: TaskNotification): number {
    const sent = this.broker.publish(
      taskTopic(notification.chainTaskId),
      serializeTaskNotification(notification),
    );
    const wallets = notification.workersAddress ?? [];
    const targets = wallets.length ? wallets.join(',') : 'every worker';
    this.logger.debug(
      `${notification.taskNotificationType} for ${notification.chainTaskId} to ${targets} (${sent} subscriptions)`,
      { chainTaskId: notification.chainTaskId },
    );
    return sent;
  }

  /**
   * `listener` runs each time a session subscribes to a task topic; `send` delivers a
   * notification to that subscription alone (what the subscriber missed while its session was down).
   */
  onTaskSubscribe(
    listener: (chainTaskId: string, send: (notification: TaskNotification) => void) => void,
  ): void {
    const prefix = taskTopic('');
    this.broker.onSubscribe((destination, deliver) => {
      if (!destination.startsWith(prefix) || destination.length === prefix.length) return;
      listener(destination.slice(prefix.length), (notification) =>
        deliver(serializeTaskNotification(notification)),
      );
    });
  }

  stats(): BrokerStats {
    return this.broker.stats();
  }
}
