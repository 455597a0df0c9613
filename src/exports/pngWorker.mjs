/**
 * The worker thread of `pngRenderer.ts`: renders each SVG it is sent to PNG with resvg, one at a
 * time, and posts the bytes back under the request's id. Plain JavaScript, so it runs the same
 * from the source (tsx) and from `dist/`.
 */
import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';

/** A chart can wait; an answer to a person cannot. On Linux this lowers this thread only. */
const RENDER_NICENESS = 10;
if (process.platform === 'linux') {
  try {
    os.setPriority(RENDER_NICENESS);
  } catch {
    // Not allowed here: render at the bot's priority.
  }
}

parentPort.on('message', ({ id, svg, options }) => {
  try {
    const png = new Resvg(svg, options).render().asPng();
    parentPort.postMessage({ id, png });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
