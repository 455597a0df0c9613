/**
 * The progress chart of the daily summary: one horizontal bar per child unit (done out of
 * total, with the ratio and percentage written beside it), drawn as SVG and rendered to PNG by
 * resvg. The bundled DejaVu Sans is the only font resvg sees (`loadSystemFonts: false`), so the
 * Vietnamese labels render the same on a server with no fonts installed as on a desktop.
 *
 * Pure apart from resvg reading the font file: the data and the chart's few words (from the
 * catalogue, `msg.reminders.chart`) come in, an SVG string or PNG bytes come out. resvg runs in
 * a worker thread (`pngRenderer.ts`), so a chart never holds up an update.
 */
import { createRequire } from 'node:module';
import { shorten } from '../domain/text.js';
import { formatPercent } from '../domain/vn.js';
import { type PngOptions, pngRenderer } from './pngRenderer.js';

const require = createRequire(import.meta.url);
/** The font the chart is drawn with, from the `dejavu-fonts-ttf` package. */
export const CHART_FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_FAMILY = 'DejaVu Sans';

/** One unit's bar. */
export interface ChartBar {
  label: string;
  done: number;
  total: number;
}

export interface ProgressChart {
  title: string;
  subtitle?: string;
  bars: readonly ChartBar[];
}

/** The words drawn beside the data: the figures beside a bar, and the last bar's label. */
export interface ChartWords {
  /** "1/3 (33,33%)": `percent` arrives formatted. */
  bar(done: number, total: number, percent: string): string;
  /** The label of the bar that sums the units past `CHART_MAX_BARS`. */
  others(count: number): string;
}

/** Bars drawn one by one; the rest are summed into a last "other units" bar. */
export const CHART_MAX_BARS = 24;
/** Labels longer than this are cut with "…" so they stay left of the bars. */
const LABEL_MAX_CHARS = 34;

const WIDTH = 820;
const LABEL_RIGHT = 300;
const BAR_LEFT = 310;
const BAR_WIDTH = 340;
const ROW_HEIGHT = 30;
const BAR_HEIGHT = 18;
const TOP = 78;
const BOTTOM = 24;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** The bars as drawn: at most `CHART_MAX_BARS`, the last summing the rest when there are more. */
export function chartBars(bars: readonly ChartBar[], words: Pick<ChartWords, 'others'>): ChartBar[] {
  if (bars.length <= CHART_MAX_BARS) return [...bars];
  const shown = bars.slice(0, CHART_MAX_BARS - 1);
  const rest = bars.slice(CHART_MAX_BARS - 1);
  const others: ChartBar = {
    label: words.others(rest.length),
    done: rest.reduce((s, b) => s + b.done, 0),
    total: rest.reduce((s, b) => s + b.total, 0),
  };
  return [...shown, others];
}

/** The chart as an SVG document (labels escaped). */
export function progressChartSvg(chart: ProgressChart, words: ChartWords): string {
  const bars = chartBars(chart.bars, words);
  const height = TOP + Math.max(1, bars.length) * ROW_HEIGHT + BOTTOM;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${FONT_FAMILY}">`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="20" y="32" font-size="20" fill="#8b0000">${escapeXml(chart.title)}</text>`,
  ];
  if (chart.subtitle) {
    parts.push(`<text x="20" y="56" font-size="14" fill="#444444">${escapeXml(chart.subtitle)}</text>`);
  }
  bars.forEach((bar, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const share = bar.total > 0 ? Math.min(1, Math.max(0, bar.done / bar.total)) : 0;
    const filled = Math.round(BAR_WIDTH * share);
    const middle = y + ROW_HEIGHT / 2;
    parts.push(
      `<text x="${LABEL_RIGHT}" y="${middle + 5}" font-size="14" text-anchor="end" fill="#222222">${escapeXml(shorten(bar.label, LABEL_MAX_CHARS))}</text>`,
      `<rect x="${BAR_LEFT}" y="${middle - BAR_HEIGHT / 2}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" fill="#eeeeee"/>`,
      filled > 0
        ? `<rect x="${BAR_LEFT}" y="${middle - BAR_HEIGHT / 2}" width="${filled}" height="${BAR_HEIGHT}" fill="#c62828"/>`
        : '',
      `<text x="${BAR_LEFT + BAR_WIDTH + 10}" y="${middle + 5}" font-size="14" fill="#222222">${escapeXml(
        words.bar(bar.done, bar.total, formatPercent(bar.done, bar.total)),
      )}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.filter(Boolean).join('\n');
}

const PNG_OPTIONS: PngOptions = {
  background: '#ffffff',
  font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
};

/** The chart as PNG bytes, with the bundled font only (rendered off the event loop). */
export function progressChartPng(chart: ProgressChart, words: ChartWords): Promise<Buffer> {
  return pngRenderer.render(progressChartSvg(chart, words), PNG_OPTIONS);
}
