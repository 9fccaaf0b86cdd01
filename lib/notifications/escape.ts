// Values from audit logs (user agents, user names, secret names) escaped for each target's markup, so a
// log line cannot add a link, a mention (@channel, @here) or formatting to a message.

const ZERO_WIDTH_SPACE = '\u200b';

function clip(value: string, max: number): string {
  const flat = value.replace(/[\r\n\t]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Slack mrkdwn: &, <, > as entities (no <link|text>, no <!channel>), a zero-width space after @ (no mentions). */
export function escapeSlack(value: string, max = 300): string {
  return clip(value, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`);
}

/** Slack: a log value as inline code, where Slack neither links URLs nor formats; backticks cannot close it. */
export function slackCode(value: string | null | undefined, max = 300): string {
  if (value === null || value === undefined || value === '') return '—';
  return `\`${escapeSlack(value, max).replace(/`/g, 'ˋ')}\``;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Teams Adaptive Card TextBlock markdown: every markdown punctuation mark backslash-escaped, mentions broken. */
export function escapeTeams(value: string | null | undefined, max = 300): string {
  if (value === null || value === undefined || value === '') return '—';
  return clip(value, max)
    .replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (mark) => `\\${mark}`)
    .replace(/@/g, `@${ZERO_WIDTH_SPACE}`);
}

/** One line of plain text (an email subject or text part): no line breaks a value could add headers or lines with. */
export function plainLine(value: string | null | undefined, max = 300): string {
  if (value === null || value === undefined || value === '') return '—';
  return clip(value, max);
}
