import { Logger, Module } from '@nestjs/common';
import { NotificationService } from './notification.service.js';
import { PushChannelService } from './push-channel.service.js';
import { StompBroker } from './stomp/stomp-broker.js';

/** Push channel: SockJS + STOMP on /connect and the task notifications published on it. */
@Module({
  providers: [
    {
      provide: StompBroker,
      useFactory: () => {
        const logger = new Logger('StompBroker');
        return new StompBroker({ log: (message) => logger.debug(message) });
      },
    },
    PushChannelService,
    NotificationService,
  ],
  exports: [NotificationService],
})
export class NotificationModule {}
