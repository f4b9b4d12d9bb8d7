import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NotificationModule } from '../../../src/notification/notification.module.js';
import { NotificationService } from '../../../src/notification/notification.service.js';
import { StompBroker } from '../../../src/notification/stomp/stomp-broker.js';
import { TaskNotificationType } from '../../../src/notification/task-notification-type.js';
import { TaskNotification } from '../../../src/notification/task-notification.js';

@Controller('hello')
class HelloController {
  @Get()
  hello() {
    return { hello: 'world' };
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return { echo: body };
  }
}

@Module({ imports: [NotificationModule], controllers: [HelloController] })
class PushTestModule {}

export interface PushTestApp {
  app: NestFastifyApplication;
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  port: number;
  notifications: NotificationService;
  broker: StompBroker;
}

/** NotificationModule + a REST controller on a Fastify app set up like src/bootstrap.ts. */
export async function startPushTestApp(port = 0): Promise<PushTestApp> {
  const adapter = new FastifyAdapter({ forceCloseConnections: 'idle' });
  const app = await NestFactory.create<NestFastifyApplication>(PushTestModule, adapter, {
    logger: false,
    abortOnError: false,
  });
  app.enableCors({ origin: '*', methods: ['GET', 'HEAD', 'POST'], maxAge: 1800 });
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return {
    app,
    port: address.port,
    baseUrl: `http://127.0.0.1:${address.port}`,
    notifications: app.get(NotificationService),
    broker: app.get(StompBroker),
  };
}

export const TASK_A = `0x${'a'.repeat(64)}`;
export const TASK_B = `0x${'b'.repeat(64)}`;
export const TASK_C = `0x${'c'.repeat(64)}`;
export const WALLET = '0x748e091bf16048cb5103e0e10f9d5a8b7fbdd860';

export function notification(
  chainTaskId: string,
  type = TaskNotificationType.PLEASE_COMPLETE,
  workersAddress: string[] = [],
): TaskNotification {
  return { chainTaskId, workersAddress, taskNotificationType: type, taskNotificationExtra: null };
}

/** Polls `condition` every 10 ms until true. */
export async function waitFor(
  condition: () => boolean,
  timeoutMs = 10000,
  label = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
