/**
 * Links from Slack to the dashboard, under PUBLIC_URL. Slack reads `<url|text>` in mrkdwn, so the
 * characters that would end or split that syntax are percent-encoded even where a URL may hold them.
 */

function slackSafe(url: string): string {
  return url.replace(/[|<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The proposal's dashboard page; undefined when PUBLIC_URL is unset (no link is better than a wrong one). */
export function dashboardProposalUrl(publicUrl: string | undefined, proposalId: string): string | undefined {
  if (!publicUrl) return undefined;
  return slackSafe(`${publicUrl.replace(/\/+$/, '')}/proposals/${encodeURIComponent(proposalId)}`);
}

/** mrkdwn `<url|text>` when there is a URL, else the text alone; `text` must already be escaped mrkdwn. */
export function linkOrText(url: string | undefined, text: string): string {
  return url ? `<${url}|${text}>` : text;
}
