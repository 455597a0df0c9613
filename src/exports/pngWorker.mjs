/**
 * The worker thread of `pngRenderer.ts`: renders each SVG it is sent to PNG with resvg, one at a
 * time, and posts the bytes back under the request's id. Plain JavaScript, so it runs the same
 * from the source (tsx) and from `dist/`.
 */
import { parentPort } from 'node:worker_threads';
import { Resvg } from '@resvg/resvg-js';

parentPort.on('message', ({ id, svg, options }) => {
  try {
    const png = new Resvg(svg, options).render().asPng();
    parentPort.postMessage({ id, png });
  } catch (err) {
    parentPort.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
