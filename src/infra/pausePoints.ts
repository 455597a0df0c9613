/**
 * Named instants where a crash test can stop the process on purpose: with `CHIBO_PAUSE_AT=<name>`
 * the process prints `paused at <name>` and waits forever at that point, so the test kills it
 * exactly there instead of relying on timing. Without the variable (always, outside such tests)
 * a pause point costs one comparison.
 */
export async function pausePoint(name: string): Promise<void> {
  if (process.env.CHIBO_PAUSE_AT !== name) return;
  process.stderr.write(`paused at ${name}\n`);
  await new Promise<never>(() => {});
}
