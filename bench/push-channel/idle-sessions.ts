import 'reflect-metadata';
import { fork, ChildProcess } from 'node:child_process';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NotificationModule } from '../../src/notification/notification.module.js';
import { NotificationService } from '../../src/notification/notification.service.js';
import { TaskNotificationType } from '../../src/notification/task-notification-type.js';

// Server-side cost of idle push sessions: N push clients (child process) each hold an
// xhr_streaming session with two subscriptions; this process runs the scheduler's
// NotificationModule and measures memory per session, idle CPU (SockJS heartbeats every 5 s),
// broadcast latency and targeted-notification throughput.
//   npx tsx --expose-gc bench/push-channel/idle-sessions.ts 2000 5000 10000

const COMMON = `0x${'f'.repeat(64)}`;
const IDLE_SECONDS = 15;
const TARGETED = 2000;

@Module({ imports: [NotificationModule] })
class BenchModule {}

type ChildMessage = { type: string; [key: string]: unknown };

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function nextMessage(child: ChildProcess, type: string): Promise<ChildMessage> {
  return new Promise((resolve) => {
    const listener = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message);
    };
    child.on('message', listener);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timeout');
    await sleep(50);
  }
}

async function run(count: number): Promise<Record<string, string | number>> {
  const app = await NestFactory.create<NestFastifyApplication>(
    BenchModule,
    new FastifyAdapter({ forceCloseConnections: 'idle' }),
    { logger: ['warn', 'error'] },
  );
  await app.listen(0, '127.0.0.1');
  const notifications = app.get(NotificationService);
  const url = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/connect`;
  gc();
  const baseline = process.memoryUsage();

  const child = fork(
    new URL('./clients.ts', import.meta.url).pathname,
    [url, String(count), COMMON],
    {
      execArgv: ['--import', 'tsx'],
    },
  );
  const ready = await nextMessage(child, 'ready');
  await until(() => notifications.stats().subscriptions === 2 * count, 60000);
  gc();
  await sleep(1000);
  gc();
  const loaded = process.memoryUsage();

  const cpuStart = process.cpuUsage();
  const idleStart = performance.now();
  await sleep(IDLE_SECONDS * 1000);
  const cpu = process.cpuUsage(cpuStart);
  const idleCpu = ((cpu.user + cpu.system) / 1000 / (performance.now() - idleStart)) * 100;

  child.send({ type: 'expect-broadcast', expected: count });
  await nextMessage(child, 'armed');
  const broadcastStart = performance.now();
  const delivered = notifications.notify({
    chainTaskId: COMMON,
    workersAddress: [],
    taskNotificationType: TaskNotificationType.PLEASE_COMPLETE,
    taskNotificationExtra: null,
  });
  const publishMs = performance.now() - broadcastStart;
  await nextMessage(child, 'broadcast-done');
  const broadcastMs = performance.now() - broadcastStart;

  let own = 0;
  const countOwn = (message: ChildMessage) => void (message.type === 'own' && own++);
  child.on('message', countOwn);
  const targetedStart = performance.now();
  for (let i = 0; i < TARGETED; i++) {
    const index = (i * 7919) % count;
    notifications.notify({
      chainTaskId: `0x${(index + 1).toString(16).padStart(64, '0')}`,
      workersAddress: ['0x748e091bf16048cb5103e0e10f9d5a8b7fbdd860'],
      taskNotificationType: TaskNotificationType.PLEASE_UPLOAD,
      taskNotificationExtra: null,
    });
  }
  await until(() => own === TARGETED, 60000);
  const targetedMs = performance.now() - targetedStart;
  child.off('message', countOwn);

  child.send({ type: 'close' });
  await new Promise((resolve) => child.once('exit', resolve));
  await app.close();
  return {
    sessions: count,
    'connect (s)': (Number(ready.connectMs) / 1000).toFixed(1),
    transports: String(ready.transports),
    reconnections: Number(ready.reconnections),
    'server heap +MiB': mib(loaded.heapUsed - baseline.heapUsed),
    'server rss +MiB': mib(loaded.rss - baseline.rss),
    'heap KiB/session': ((loaded.heapUsed - baseline.heapUsed) / 1024 / count).toFixed(1),
    'rss KiB/session': ((loaded.rss - baseline.rss) / 1024 / count).toFixed(1),
    'idle CPU % of a core': idleCpu.toFixed(1),
    'broadcast publish ms': publishMs.toFixed(1),
    'broadcast all received ms': broadcastMs.toFixed(0),
    delivered,
    [`${TARGETED} targeted ms`]: targetedMs.toFixed(0),
    'client process rss MiB': mib((ready.memory as NodeJS.MemoryUsage).rss),
  };
}

const sizes = process.argv.slice(2).map(Number);
const rows = [];
for (const count of sizes.length ? sizes : [2000, 5000, 10000]) {
  rows.push(await run(count));
  console.table(rows);
}
process.exit(0);
