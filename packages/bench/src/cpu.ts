import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  // Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Runs `work` and returns its result with the CPU seconds the given processes spent meanwhile. */
export async function measuringCpu<T>(pids: number[], work: () => Promise<T>): Promise<{ result: T; cpu: number }> {
  const before = pids.map(cpuSeconds);
  const result = await work();
  const cpu = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - before[i]!, 0);
  return { result, cpu };
}
