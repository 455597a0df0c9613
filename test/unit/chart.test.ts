/** The progress chart: SVG with the units' Vietnamese names, rendered to PNG with the bundled font. */
import { describe, expect, it } from 'vitest';
import { wellFormed } from '../../src/domain/text.js';
import {
  CHART_MAX_BARS,
  chartBars,
  progressChartPng as toPng,
  progressChartSvg as toSvg,
} from '../../src/exports/chart.js';
import { msg } from '../../src/messages/index.js';

/** The chart drawn with the catalogue's words, as the summary draws it. */
const words = msg.reminders.chart;
const progressChartSvg = (c: Parameters<typeof toSvg>[0]) => toSvg(c, words);
const progressChartPng = (c: Parameters<typeof toPng>[0]) => toPng(c, words);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const chart = {
  title: 'Tiến độ đại hội: Đại hội chi bộ nhiệm kỳ 2025 – 2027',
  subtitle: 'Đảng bộ xã Tân Lập, đến ngày 15/09/2025',
  bars: [
    { label: 'Chi bộ Thôn Đồng Tâm', done: 1, total: 1 },
    { label: 'Đảng bộ bộ phận Khu 1 & 2', done: 1, total: 3 },
    { label: 'Chi bộ Trường học', done: 0, total: 1 },
  ],
};

describe('progress chart', () => {
  it('draws one labelled bar per unit with its ratio, escaping names', () => {
    const svg = progressChartSvg(chart);
    expect(svg).toContain('Chi bộ Thôn Đồng Tâm');
    expect(svg).toContain('Đảng bộ bộ phận Khu 1 &amp; 2');
    expect(svg).toContain('Chi bộ Trường học');
    expect(svg).toContain('1/3 (33,33%)');
    expect(svg).toContain('0/1 (0%)');
    expect(svg).toContain('Tiến độ đại hội');
  });

  it('renders to a PNG, off the event loop', async () => {
    let ticked = false;
    const rendering = progressChartPng(chart);
    // resvg on this thread would finish before anything else ran.
    setImmediate(() => {
      ticked = true;
    });
    const png = await rendering.then((p) => ({ p, ticked }));
    expect(png.ticked).toBe(true);
    expect(png.p.length).toBeGreaterThan(1000);
    expect(png.p.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  it('draws the text with the bundled font (diacritics change the picture)', async () => {
    const [plain, marked, blank] = await Promise.all([
      progressChartPng({ ...chart, bars: [{ label: 'Chi bo Thon Dong Tam', done: 1, total: 2 }] }),
      progressChartPng({ ...chart, bars: [{ label: 'Chi bộ Thôn Đồng Tâm', done: 1, total: 2 }] }),
      progressChartPng({ ...chart, bars: [{ label: '', done: 1, total: 2 }] }),
    ]);
    expect(plain.equals(blank)).toBe(false);
    expect(marked.equals(plain)).toBe(false);
  });

  it('sums the units past the limit into one bar', () => {
    const bars = Array.from({ length: 30 }, (_, i) => ({ label: `Chi bộ ${i + 1}`, done: 1, total: 2 }));
    const shown = chartBars(bars, words);
    expect(shown).toHaveLength(CHART_MAX_BARS);
    expect(shown.at(-1)).toEqual({ label: 'Các đơn vị khác (7)', done: 7, total: 14 });
  });
});

describe('chart labels', () => {
  it('cuts a long label between graphemes, never inside an emoji', () => {
    const svg = progressChartSvg({
      ...chart,
      bars: [{ label: `${'x'.repeat(32)}👍🏽 Thôn 1`, done: 1, total: 2 }],
    });
    expect(svg).toContain(`>${'x'.repeat(32)}…</text>`);
    expect(svg).toBe(wellFormed(svg));
  });
});
