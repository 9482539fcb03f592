import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

export function loginPage(options: { next: string; formToken: string; error?: string }): SafeHtml {
  return page({
    title: 'Sign in',
    body: html`<section class="login">
  <h1>Sign in</h1>
  <p>Use an API token of this installation (the same tokens as the HTTP API).</p>
  ${options.error ? html`<p class="flash error" role="alert">${options.error}</p>` : ''}
  <form method="post" action="/login">
    <input type="hidden" name="next" value="${options.next}">
    <input type="hidden" name="login" value="${options.formToken}">
    <label for="token">API token</label>
    <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
    <button type="submit">Sign in</button>
  </form>
</section>`,
  });
}
