/** Reading the bot's `/metrics` (Prometheus text format) in tests. */
import type { TestBot } from './app.js';

/** The value of one sample, e.g. `chibo_outbox_depth{state="waiting"}`; undefined when absent. */
export function sample(text: string, name: string, labels = ''): number | undefined {
  const wanted = labels ? `${name}{${labels}}` : name;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    if (line.slice(0, cut) === wanted) return Number(line.slice(cut + 1));
  }
  return undefined;
}

export async function scrape(bot: TestBot): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${bot.app.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
