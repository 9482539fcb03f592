import { html, type SafeHtml } from './html.ts';
import { page, type Viewer } from './layout.ts';

export function errorPage(options: { title: string; message: string; viewer?: Viewer }): SafeHtml {
  return page({
    title: options.title,
    ...(options.viewer ? { viewer: options.viewer } : {}),
    body: html`<section class="problem"><h1>${options.title}</h1><p>${options.message}</p><p><a href="/proposals">Back to the proposals</a></p></section>`,
  });
}
