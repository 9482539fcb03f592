import type { EvidenceSeries } from '../../domain/proposal.ts';
import { html, type SafeHtml } from './html.ts';
import { formatNumber, lineChart, stackedBars } from './svg-charts.ts';

/**
 * The measure behind a proposal as a chart: a level over time as a line with the onset marked
 * (a regression's p95), counts per bucket as bars (a bug's days, a theme's weeks). The same SVG is
 * inlined on the dashboard and, made standalone, rendered to PNG for Slack.
 */

const bucketLabel = (at: string, bucket: EvidenceSeries['bucket']) =>
  bucket === 'hour' ? `${at.slice(5, 10)} ${at.slice(11, 13)}h` : at.slice(5, 10);

export function evidenceChartSvg(series: EvidenceSeries, size: { width?: number; height?: number } = {}): SafeHtml {
  if (series.kind === 'line') {
    const points = series.points.map((p) => ({ t: new Date(p.at), v: p.value }));
    const last = points.at(-1)?.t ?? new Date();
    const step = series.bucket === 'hour' ? 3_600_000 : series.bucket === 'day' ? 86_400_000 : 7 * 86_400_000;
    return lineChart({
      label: series.label,
      series: [{ name: series.label, points }],
      from: points[0]?.t ?? last,
      to: new Date(last.getTime() + step),
      unit: series.unit,
      ...(series.mark ? { markers: [{ t: new Date(series.mark.at), label: series.mark.label }] } : {}),
      ...size,
    });
  }
  return stackedBars({
    label: series.label,
    keys: [series.unit],
    buckets: series.points.map((p) => ({ label: bucketLabel(p.at, series.bucket), values: [p.value] })),
    unit: series.unit,
    ...size,
  });
}

/** The chart and, for those who read rather than look, its numbers in a table. */
export function evidenceChart(series: EvidenceSeries): SafeHtml {
  return html`<figure class="evidence-chart">
    <figcaption>${series.label}${series.mark ? html` · <span class="marker-note">${series.mark.label}</span>` : ''}</figcaption>
    ${evidenceChartSvg(series)}
    <details>
      <summary>Numbers</summary>
      <div class="table-scroll">
        <table class="series-table">
          <thead>
            <tr>
              <th>${series.bucket}</th>
              <th>${series.unit}</th>
            </tr>
          </thead>
          <tbody>
            ${series.points.map(
              (p) =>
                html`<tr>
                  <td>${series.bucket === 'hour' ? `${p.at.slice(0, 13)}:00Z` : p.at.slice(0, 10)}</td>
                  <td>${formatNumber(p.value)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>
  </figure>`;
}

// What dashboard.css gives the chart classes, for an image that has no page around it.
const STANDALONE_STYLE = `
text { font-family: 'DejaVu Sans', sans-serif; font-size: 10.5px; fill: #59636e; }
.grid { stroke: #d1d9e0; stroke-width: 1; }
.series polyline { stroke: #0969da; stroke-width: 1.8; fill: none; }
.series circle { fill: #0969da; stroke: none; }
.marker line { stroke: #cf222e; stroke-dasharray: 3 3; stroke-width: 1.2; }
.marker path { fill: #cf222e; }
.layer, rect.l-0 { fill: #0969da; }
.title { font-size: 13px; fill: #1f2328; }
`;

/** A self-contained SVG document (white ground, its own styles, a title line) for rendering to PNG. */
export function standaloneChartSvg(series: EvidenceSeries): string {
  const width = 640;
  const chartHeight = 180;
  const top = 24;
  const inner = evidenceChartSvg(series, { width, height: chartHeight })
    .value.replace(/^<svg [^>]*>/, '')
    .replace(/<\/svg>\s*$/, '');
  const title = html`${series.label}${series.mark ? ` · ${series.mark.label}` : ''}`.value;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${chartHeight + top}" viewBox="0 0 ${width} ${chartHeight + top}">` +
    `<style>${STANDALONE_STYLE}</style><rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text class="title" x="8" y="16">${title}</text><g transform="translate(0 ${top})">${inner}</g></svg>`
  );
}
