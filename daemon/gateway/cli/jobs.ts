import type { JobView, JobsPage } from '../api/job-contracts';
import { jobView } from '../jobs/job-view';
import { JobStore, JOB_STATUSES, type JobStatus } from '../store/job-store';
import { findRunningDaemon } from './find-daemon';
import { withStoppedStore } from './stopped-store';

export function formatJobLine(job: JobView): string {
  const time = new Date(job.createdAt).toLocaleString();
  const note = job.error && job.status !== 'succeeded' ? `  ${job.error}` : '';
  return `${time}  ${job.id}  ${job.status.padEnd(9)} ${job.mode.padEnd(5)} ${job.endpoint.padEnd(20)} ${(job.model ?? '-').padEnd(24)} ${String(job.attempts).padStart(2)}×  ${job.tag ?? ''}${note}`;
}

/** `tollgate jobs [--status S] [--tag T]`: the newest jobs and how many there are in each state. */
export async function printJobs(dataDir: string, filter: { status?: string | undefined; tag?: string | undefined }): Promise<number> {
  if (filter.status !== undefined && !(JOB_STATUSES as readonly string[]).includes(filter.status)) {
    console.error(`tollgate jobs: --status takes one of ${JOB_STATUSES.join(', ')} (got "${filter.status}")`);
    return 1;
  }
  const query = { ...(filter.status && { status: filter.status as JobStatus }), ...(filter.tag !== undefined && { tag: filter.tag }), limit: 50 };
  const running = await findRunningDaemon(dataDir);
  const page: JobsPage | undefined = running
    ? await running.client.get<JobsPage>(`/tollgate/v1/jobs?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`)
    : withStoppedStore(dataDir, (db) => {
        const store = new JobStore(db);
        return { jobs: store.list(query).map(jobView), counts: store.counts() };
      });
  if (!page) {
    console.error(`tollgate: no job queue in ${dataDir} yet; start the gateway with: tollgate start`);
    return 1;
  }
  if (!running) console.log('(the daemon is stopped: read from the queue on disk; queued jobs run when it starts)');
  for (const job of [...page.jobs].reverse()) console.log(formatJobLine(job));
  const counts = JOB_STATUSES.filter((status) => page.counts[status]).map((status) => `${page.counts[status]} ${status}`);
  console.log(counts.length > 0 ? `Jobs: ${counts.join(', ')}` : 'No jobs yet.');
  return 0;
}
