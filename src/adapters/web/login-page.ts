import { html, type SafeHtml } from './html.ts';
import { page } from './layout.ts';

/**
 * Where to find a token, in the words of resolveApiTokens: a file the service wrote, or API_TOKENS.
 * Unknown (a dashboard built without it), the page states the rule the service follows.
 */
function whereTheTokenIs(tokenSource: string | undefined): SafeHtml {
  if (tokenSource === 'API_TOKENS')
    return html`<p class="sub token-source">The tokens are set in the service's <code>API_TOKENS</code> environment variable.</p>`;
  if (tokenSource)
    return html`<p class="sub token-source">
      The service keeps its token in <code>${tokenSource}</code> on the machine it runs on (readable by the service's user only).
    </p>`;
  return html`<p class="sub token-source">
    The tokens are the service's <code>API_TOKENS</code>; without them it writes one to <code>DATA_DIR/api-token</code>.
  </p>`;
}

export function loginPage(options: { next: string; formToken: string; tokenSource?: string; error?: string }): SafeHtml {
  return page({
    title: 'Sign in',
    body: html`<section class="login">
      <h1>Sign in</h1>
      <p>Use an API token of this installation (the same tokens as the HTTP API).</p>
      ${whereTheTokenIs(options.tokenSource)} ${options.error ? html`<p class="flash error" role="alert">${options.error}</p>` : ''}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${options.next}" />
        <input type="hidden" name="login" value="${options.formToken}" />
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required autofocus />
        <button type="submit">Sign in</button>
      </form>
    </section>`,
  });
}
