import type { TaskStatus } from '../../src/task/task-status.js';
import type { TaskRecord } from '../../src/task/task.repository.js';

/** A TaskStateWriter stub: every transition succeeds and its statuses land in `into`. */
export function recordingStateWriter(into: TaskStatus[][], causes: (string | undefined)[] = []) {
  return {
    transition: async (
      _task: TaskRecord,
      statuses: TaskStatus[],
      _fields?: unknown,
      cause?: string,
    ) => causes.push(cause) > 0 && into.push(statuses) > 0,
  } as never;
}

/** A ChainClock stub on the system clock. */
export const systemClock = { now: () => Date.now() } as never;
