/** The PNG renderer's worker thread: renders in order, survives its own death, and lets go when idle. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CHART_FONT_FILE } from '../../src/exports/chart.js';
import { PngRenderer } from '../../src/exports/pngRenderer.js';

const OPTIONS = {
  background: '#ffffff',
  font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
};
const svg = (width: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20"><text x="2" y="15">Chi bộ</text></svg>`;
/** A PNG's width, from its IHDR chunk. */
const widthOf = (png: Buffer) => png.readUInt32BE(16);

const renderer = new PngRenderer(50);
afterAll(() => renderer.close());

describe('PNG renderer', () => {
  it('answers each render with its own picture', async () => {
    const pngs = await Promise.all([40, 80, 120].map((w) => renderer.render(svg(w), OPTIONS)));
    expect(pngs.map(widthOf)).toEqual([40, 80, 120]);
  });

  it.runIf(process.platform === 'linux')(
    'renders at a lower priority than the thread answering updates',
    async () => {
      await renderer.render(svg(10), OPTIONS);
      // Field 19 of /proc/<pid>/task/<tid>/stat (after the command's closing parenthesis) is the nice value.
      const nice = (tid: string) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
      expect(nice(String(process.pid))).toBe(0);
      // RENDER_NICENESS in pngWorker.mjs.
      expect(readdirSync('/proc/self/task').map(nice)).toContain(10);
    },
  );

  it('refuses an SVG resvg cannot read, and renders the next one', async () => {
    await expect(renderer.render('<svg', OPTIONS)).rejects.toThrow('PNG rendering failed');
    expect(widthOf(await renderer.render(svg(30), OPTIONS))).toBe(30);
  });

  it('fails the renders in hand when its worker stops, and starts another for the next', async () => {
    const inHand = renderer.render(svg(60), OPTIONS);
    const closing = renderer.close();
    // Asked for while the old worker is still stopping.
    const next = renderer.render(svg(70), OPTIONS);
    await expect(inHand).rejects.toThrow('the PNG renderer stopped');
    await closing;
    expect(widthOf(await next)).toBe(70);
  });

  it('stops its worker after a while with nothing to render, and starts it again when needed', async () => {
    await renderer.render(svg(20), OPTIONS);
    expect(renderer.running).toBe(true);
    await expect.poll(() => renderer.running, { timeout: 2_000 }).toBe(false);
    expect(widthOf(await renderer.render(svg(25), OPTIONS))).toBe(25);
  });
});
