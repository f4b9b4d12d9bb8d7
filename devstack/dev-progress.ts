// Follows the tasks of a deal through the scheduler's public task endpoint and prints each
// status change: deal seen → initialized → contributions → consensus → reveal → finalized.

interface TaskModel {
  currentStatus: string;
  dateStatusList: { status: string }[];
  replicates: { walletAddress: string; currentStatus: string }[] | null;
}

const FINAL = new Set(['COMPLETED', 'FAILED']);

async function readTask(baseUrl: string, chainTaskId: string): Promise<TaskModel | undefined> {
  try {
    const res = await fetch(`${baseUrl}/tasks/${chainTaskId}`);
    return res.ok ? ((await res.json()) as TaskModel) : undefined;
  } catch {
    return undefined;
  }
}

/** Prints every new task status and replicate status until all tasks are final. */
export async function watchDeal(
  baseUrl: string,
  taskIds: readonly string[],
  say: (line: string) => void,
): Promise<void> {
  const seen = new Map<string, number>();
  const replicateSeen = new Map<string, string>();
  const started = Date.now();
  for (;;) {
    let finished = 0;
    for (const [index, id] of taskIds.entries()) {
      const task = await readTask(baseUrl, id);
      if (!task) continue;
      const history = task.dateStatusList.map((s) => s.status);
      const already = seen.get(id) ?? 0;
      if (history.length > already) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        say(`task #${index} ${history.slice(already).join(' → ')}  (+${seconds} s)`);
        seen.set(id, history.length);
      }
      for (const replicate of task.replicates ?? []) {
        const key = `${id}/${replicate.walletAddress}`;
        if (replicateSeen.get(key) !== replicate.currentStatus) {
          replicateSeen.set(key, replicate.currentStatus);
          if (
            [
              'CONTRIBUTED',
              'REVEALED',
              'RESULT_UPLOADED',
              'CONTRIBUTE_AND_FINALIZE_DONE',
              'COMPLETED',
            ].includes(replicate.currentStatus)
          ) {
            say(
              `task #${index}   worker ${replicate.walletAddress.slice(0, 10)}… ${replicate.currentStatus}`,
            );
          }
        }
      }
      if (FINAL.has(task.currentStatus)) finished++;
    }
    if (finished === taskIds.length) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}
