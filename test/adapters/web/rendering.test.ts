import { describe, expect, it } from 'vitest';
import { html, trusted } from '../../../src/adapters/web/html.ts';
import { renderMarkdown } from '../../../src/adapters/web/markdown.ts';
import { lineChart } from '../../../src/adapters/web/svg-charts.ts';
import { squeezed } from './squeeze.ts';

describe('page rendering', () => {
  it('escapes every interpolation, attribute quotes included, unless it was marked trusted', () => {
    const value = `"><script>alert(1)</script><img src=x onerror='alert(2)'>`;
    const out = html`<input value="${value}"><p title='${value}'>${[value, 1, null, undefined, false]}</p>${trusted('<b>ok</b>')}`.value;
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/<img/);
    expect(out).not.toMatch(/value="[^"]*"[^>]*"/);
    expect(out).toContain('&quot;&gt;&lt;script&gt;');
    expect(out).toContain('&#39;alert(2)&#39;');
    expect(out).toContain('<b>ok</b>');
    expect(out).toContain('1</p>');
  });

  it('renders model-written markdown with raw HTML as text, links only to the web or mail, and images as their alt text', () => {
    const out = renderMarkdown(
      [
        '## Plan',
        '<script>alert(1)</script>',
        'Use <img src=x onerror=alert(2)> **carefully**.',
        '[docs](https://example.com/a "Title") [bad](javascript:alert(3)) [data](data:text/html,<b>x</b>) [mail](mailto:a@example.com)',
        '![tracking pixel](https://evil.example/p.png)',
        '[ref][r]',
        '',
        '[r]: javascript:alert(4)',
      ].join('\n\n'),
    ).value;
    expect(out).toContain('<h2>Plan</h2>');
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=alert(2)&gt; <strong>carefully</strong>');
    expect(out).toContain('<a href="https://example.com/a" title="Title" rel="noopener noreferrer nofollow">docs</a>');
    expect(out).toContain('<a href="mailto:a@example.com" rel="noopener noreferrer nofollow">mail</a>');
    expect(out).not.toMatch(/href="(javascript|data):/i);
    expect(out).not.toMatch(/<img/i);
    expect(out).toContain('tracking pixel');
    expect(out).not.toContain('evil.example');
  });

  it('draws a line chart whose titles and labels are escaped', () => {
    const svg = lineChart({
      label: 'p95 of <script>',
      series: [
        {
          name: 'GET /x<script>',
          points: [
            { t: new Date('2026-11-01T00:00:00Z'), v: 120 },
            { t: new Date('2026-11-02T00:00:00Z'), v: 480 },
          ],
        },
      ],
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-03T00:00:00Z'),
      unit: 'ms',
      markers: [{ t: new Date('2026-11-02T12:00:00Z'), label: 'filed <img onerror=x>', href: '/proposals/performance-1' }],
    }).value;
    const markup = squeezed(svg);
    expect(svg).not.toMatch(/<script|<img/);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(markup).toContain('<title>GET /x&lt;script&gt; 11-02: 480 ms</title>');
    expect(markup).toContain('<a href="/proposals/performance-1"><g class="marker">');
  });
});
