/**
 * The plot cycle-scaling.ts writes to docs/: time (left) and peak RSS (right) against the data's
 * size, the cycle beside its floor, with the line a linear cycle would follow from the smallest size.
 */

export interface ScalingPoint {
  factor: number;
  floorMs: number;
  floorRss: number;
  cycleMs: number;
  cycleRss: number;
}

const WIDTH = 900;
const HEIGHT = 380;
const PANEL = { width: 360, height: 260, top: 60 };
const COLORS = { cycle: '#d6336c', floor: '#1c7ed6', linear: '#868e96' };

interface Series {
  name: string;
  color: string;
  values: number[];
  dashed?: boolean;
}

export function scalingSvg(points: readonly ScalingPoint[], caption: string): string {
  const base = points[0]!;
  const linear = points.map((p) => (base.cycleMs * p.factor) / base.factor);
  const time = panel(40, 'time (s)', points, [
    { name: 'full cycle', color: COLORS.cycle, values: points.map((p) => p.cycleMs / 1000) },
    { name: 'floor (bare DuckDB)', color: COLORS.floor, values: points.map((p) => p.floorMs / 1000) },
    { name: 'linear from the smallest', color: COLORS.linear, values: linear.map((ms) => ms / 1000), dashed: true },
  ]);
  const rss = panel(500, 'peak RSS (MiB)', points, [
    { name: 'full cycle', color: COLORS.cycle, values: points.map((p) => p.cycleRss / 1048576) },
    { name: 'floor (bare DuckDB)', color: COLORS.floor, values: points.map((p) => p.floorRss / 1048576) },
  ]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="24" text-anchor="middle" font-size="15">Full cycle vs its floor as the sample grows (1× = 1M metric rows, 100k interactions)</text>
<text x="${WIDTH / 2}" y="42" text-anchor="middle" fill="#555">${escape(caption)}</text>
${time}
${rss}
</svg>
`;
}

function panel(left: number, title: string, points: readonly ScalingPoint[], series: Series[]): string {
  const maxX = Math.max(...points.map((p) => p.factor));
  const maxY = niceCeiling(Math.max(...series.flatMap((s) => s.values)));
  const x = (factor: number) => left + 50 + (factor / maxX) * (PANEL.width - 60);
  const y = (value: number) => PANEL.top + PANEL.height - (value / maxY) * PANEL.height;
  const ticksY = [0, 0.25, 0.5, 0.75, 1].map((t) => t * maxY);
  const parts = [
    `<text x="${left + 50}" y="${PANEL.top - 8}" font-weight="bold">${escape(title)}</text>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(maxX)}" y2="${y(0)}" stroke="#333"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(maxY)}" stroke="#333"/>`,
    ...ticksY.map(
      (v) =>
        `<line x1="${x(0) - 4}" y1="${y(v)}" x2="${x(maxX)}" y2="${y(v)}" stroke="#eee"/><text x="${x(0) - 8}" y="${y(v) + 4}" text-anchor="end">${format(v)}</text>`,
    ),
    ...points.map((p) => `<text x="${x(p.factor)}" y="${y(0) + 16}" text-anchor="middle">${p.factor}×</text>`),
    `<text x="${x(maxX / 2)}" y="${y(0) + 34}" text-anchor="middle" fill="#555">data size</text>`,
  ];
  series.forEach((s, i) => {
    const path = s.values.map((v, k) => `${k === 0 ? 'M' : 'L'}${x(points[k]!.factor).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,4"' : ''}/>`);
    if (!s.dashed)
      parts.push(
        ...s.values.map((v, k) => `<circle cx="${x(points[k]!.factor).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${s.color}"/>`),
      );
    parts.push(
      `<line x1="${left + 60}" y1="${PANEL.top + 12 + i * 16}" x2="${left + 80}" y2="${PANEL.top + 12 + i * 16}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5,4"' : ''}/><text x="${left + 86}" y="${PANEL.top + 16 + i * 16}">${escape(s.name)}</text>`,
    );
  });
  return parts.join('\n');
}

function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((step) => step * magnitude).find((step) => step >= value)!;
}

function format(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1).replace(/\.0$/, '') : value.toFixed(2).replace(/\.?0+$/, '');
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
