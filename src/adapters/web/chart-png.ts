import type { EvidenceSeries } from '../../domain/proposal.ts';
import { standaloneChartSvg } from './evidence-chart.ts';

/**
 * A chart as PNG, the format Slack's image blocks take (not SVG). resvg (Rust, prebuilt for Node) is
 * loaded on the first image only, so a service whose Slack shows no charts never loads it.
 */
let resvg: Promise<typeof import('@resvg/resvg-js')> | undefined;

export async function renderChartPng(series: EvidenceSeries): Promise<Buffer> {
  const { Resvg } = await (resvg ??= import('@resvg/resvg-js'));
  const image = new Resvg(standaloneChartSvg(series), {
    background: '#ffffff',
    // Twice the size: Slack shows images on high-density screens too.
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return image.render().asPng();
}
