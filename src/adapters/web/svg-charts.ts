import { html, type SafeHtml } from './html.ts';

/**
 * Charts drawn on the server as inline SVG: they read without JavaScript, need no charting bundle,
 * and colours come from CSS classes (the Content-Security-Policy forbids inline style attributes).
 */

export interface TimePoint {
  t: Date;
  v: number;
}

export interface ChartMarker {
  t: Date;
  label: string;
  href?: string;
}

const DAY_MS = 86_400_000;

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function shortDate(d: Date): string {
  return d.toISOString().slice(5, 10);
}

export function formatNumber(n: number, digits = 0): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten at or above the maximum. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export function lineChart(options: {
  label: string;
  series: { name: string; points: TimePoint[] }[];
  from: Date;
  to: Date;
  unit: string;
  markers?: ChartMarker[];
  width?: number;
  height?: number;
}): SafeHtml {
  const width = options.width ?? 640;
  const height = options.height ?? 160;
  const pad = { left: 48, right: 12, top: 10, bottom: 22 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const span = Math.max(options.to.getTime() - options.from.getTime(), DAY_MS);
  const yMax = niceMax(Math.max(0, ...options.series.flatMap((s) => s.points.map((p) => p.v))));
  const x = (t: Date) => round(pad.left + ((t.getTime() - options.from.getTime()) / span) * innerW);
  const y = (v: number) => round(pad.top + innerH - (v / yMax) * innerH);
  const ticks = [0, yMax / 2, yMax];
  const mid = new Date(options.from.getTime() + span / 2);
  return html`<svg class="chart line-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.label}">
<g class="axis">${ticks.map(
    (v) =>
      html`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${pad.left - 4}" y="${y(v) + 4}" text-anchor="end">${formatNumber(v, 1)}</text>`,
  )}
${[options.from, mid, new Date(options.to.getTime() - 1)].map(
  (t, i) =>
    html`<text x="${x(t)}" y="${height - 6}" text-anchor="${i === 0 ? 'start' : i === 1 ? 'middle' : 'end'}">${shortDate(t)}</text>`,
)}</g>
${(options.markers ?? []).map((m) => {
  const mark = html`<g class="marker"><line x1="${x(m.t)}" x2="${x(m.t)}" y1="${pad.top}" y2="${pad.top + innerH}"/><path d="M${x(m.t) - 5} ${pad.top} h10 l-5 7 z"/><title>${m.label}</title></g>`;
  return m.href ? html`<a href="${m.href}">${mark}</a>` : mark;
})}
${options.series.map(
  (s, i) =>
    html`<g class="series s-${i}"><polyline fill="none" points="${s.points.map((p) => `${x(p.t)},${y(p.v)}`).join(' ')}"/>${s.points.map(
      (p) =>
        html`<circle cx="${x(p.t)}" cy="${y(p.v)}" r="2.5"><title>${s.name} ${shortDate(p.t)}: ${formatNumber(p.v)} ${options.unit}</title></circle>`,
    )}</g>`,
)}
</svg>`;
}

export interface BarBucket {
  label: string;
  values: number[];
}

/** Stacked columns, one per bucket; `keys` name the stack layers bottom to top. */
export function stackedBars(options: {
  label: string;
  keys: string[];
  buckets: BarBucket[];
  unit?: string;
  width?: number;
  height?: number;
  digits?: number;
}): SafeHtml {
  const width = options.width ?? 640;
  const height = options.height ?? 180;
  const pad = { left: 48, right: 8, top: 10, bottom: 22 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const totals = options.buckets.map((b) => b.values.reduce((a, v) => a + v, 0));
  const yMax = niceMax(Math.max(0, ...totals));
  const slot = innerW / Math.max(options.buckets.length, 1);
  const barW = round(Math.max(slot * 0.7, 1));
  const h = (v: number) => (v / yMax) * innerH;
  const unit = options.unit ? ` ${options.unit}` : '';
  return html`<svg class="chart bar-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${options.label}">
<g class="axis">${[0, yMax / 2, yMax].map(
    (v) =>
      html`<line x1="${pad.left}" x2="${width - pad.right}" y1="${round(pad.top + innerH - h(v))}" y2="${round(pad.top + innerH - h(v))}" class="grid"/><text x="${pad.left - 4}" y="${round(pad.top + innerH - h(v) + 4)}" text-anchor="end">${formatNumber(v, Math.max(options.digits ?? 0, 1))}</text>`,
  )}</g>
${options.buckets.map((bucket, i) => {
  const left = round(pad.left + i * slot + (slot - barW) / 2);
  let base = pad.top + innerH;
  const layers = bucket.values.map((v, k) => {
    const top = base - h(v);
    const rect =
      v > 0
        ? html`<rect class="layer l-${k}" x="${left}" y="${round(top)}" width="${barW}" height="${round(base - top)}"><title>${bucket.label} · ${options.keys[k] ?? ''}: ${formatNumber(v, options.digits ?? 0)}${unit}</title></rect>`
        : '';
    base = top;
    return rect;
  });
  const showLabel = options.buckets.length <= 16 || i % Math.ceil(options.buckets.length / 8) === 0;
  return html`<g>${layers}${showLabel ? html`<text class="axis-label" x="${round(left + barW / 2)}" y="${height - 6}" text-anchor="middle">${bucket.label}</text>` : ''}</g>`;
})}
</svg>`;
}

/** Horizontal bars with their value, for a handful of totals (the funnel, before/after). */
export function horizontalBars(options: {
  label: string;
  rows: { name: string; value: number; cls?: string; note?: string }[];
  unit?: string;
  width?: number;
}): SafeHtml {
  const width = options.width ?? 640;
  const rowH = 26;
  const labelW = 190;
  const valueW = 90;
  const max = Math.max(0, ...options.rows.map((r) => r.value)) || 1;
  const unit = options.unit ? ` ${options.unit}` : '';
  return html`<svg class="chart hbar-chart" viewBox="0 0 ${width} ${options.rows.length * rowH + 4}" role="img" aria-label="${options.label}">
${options.rows.map(
  (r, i) =>
    html`<g class="${r.cls ?? 'l-0'}"><text class="row-label" x="0" y="${i * rowH + 17}">${r.name}</text><rect class="layer" x="${labelW}" y="${i * rowH + 4}" width="${round(Math.max((r.value / max) * (width - labelW - valueW), r.value > 0 ? 1 : 0))}" height="${rowH - 8}"><title>${r.name}: ${formatNumber(r.value, 1)}${unit}</title></rect><text class="row-value" x="${width - valueW + 6}" y="${i * rowH + 17}">${formatNumber(r.value, 1)}${unit}${r.note ? ` ${r.note}` : ''}</text></g>`,
)}
</svg>`;
}
