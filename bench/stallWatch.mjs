/**
 * Loaded into our bot by `bench/updates.ts` with BENCH_STALLS (node --import): records each
 * stall of the main thread's event loop over 4 ms, with how much of it the thread spent running
 * and how much waiting for a CPU (the kernel's schedstat), and each garbage collection. Writes
 * them to STALL_FILE every second and at exit, one per line:
 *
 *   stall <epoch ms when it began> <ms> <ms running> <ms waiting for a CPU>
 *   gc <epoch ms> <ms> <kind>
 *
 * Plain JavaScript, so it loads into the compiled bot as it is. A 1 ms timer costs the bot some
 * CPU: figures taken with it are for diagnosis, not for the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const file = process.env.STALL_FILE;
if (file) {
  const rows = [];
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  /** ms the main thread has run, and has waited on a run queue, so far. */
  const sched = () => {
    const [run, wait] = readFileSync(schedstat, 'utf8').split(' ').map(Number);
    return { run: run / 1e6, wait: wait / 1e6 };
  };
  let last = performance.now();
  let before = sched();
  setInterval(() => {
    const now = performance.now();
    const s = sched();
    if (now - last > 4)
      rows.push(
        `stall ${(performance.timeOrigin + last).toFixed(1)} ${(now - last).toFixed(1)} ${(s.run - before.run).toFixed(1)} ${(s.wait - before.wait).toFixed(1)}`,
      );
    last = now;
    before = s;
  }, 1).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      rows.push(
        `gc ${(performance.timeOrigin + e.startTime).toFixed(1)} ${e.duration.toFixed(2)} ${e.detail?.kind}`,
      );
  }).observe({ entryTypes: ['gc'] });
  const flush = () => writeFileSync(file, rows.length > 0 ? `${rows.join('\n')}\n` : '');
  setInterval(flush, 1_000).unref();
  process.on('exit', flush);
}
