import { SchedulerRegistry } from '@nestjs/schedule';
import { JobScheduler } from '../../../src/common/jobs/job-scheduler.js';
import { TaskDetectors } from '../../../src/task/engine/task-detectors.service.js';
import { TaskStatus } from '../../../src/task/task-status.js';
import type { TaskRef, TaskRepository } from '../../../src/task/task.repository.js';
import type { TaskUpdateRequests } from '../../../src/task/task-update-requests.js';

// The start-up resumer: one update request per unfinished task, taken from the repository.
describe('TaskDetectors.resumeUnfinished', () => {
  it('publishes an update for every unfinished task the repository returns', async () => {
    const refs = [
      { chainTaskId: '0x01', currentStatus: TaskStatus.AT_LEAST_ONE_REVEALED },
      { chainTaskId: '0x02', currentStatus: TaskStatus.FINALIZED },
    ] as TaskRef[];
    const published: string[] = [];
    const tasks = { findUnfinishedRefs: async () => refs } as unknown as TaskRepository;
    const requests = {
      publish: (id: string) => published.push(id) > 0,
    } as unknown as TaskUpdateRequests;
    const detectors = new TaskDetectors(
      {} as never,
      new JobScheduler(new SchedulerRegistry()),
      tasks,
      {} as never,
      {} as never,
      {} as never,
      requests,
      {} as never,
    );
    await detectors.resumeUnfinished();
    expect(published).toEqual(['0x01', '0x02']);
  });
});
