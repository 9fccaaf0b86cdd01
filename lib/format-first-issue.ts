import type { z } from 'zod';

/**
 * The first issue as "path: message", e.g. `verb: expected string, received number`; a path with a
 * label (a form's field) reads as the analyst sees it: `Search is longer than 1,024 characters…`.
 */
export function formatFirstIssue(error: z.ZodError, labels: Record<string, string> = {}): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid input';
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && message.endsWith(', received undefined')) {
    message = `missing (expected ${issue.expected})`;
  }
  const path = formatIssuePath(issue.path);
  if (labels[path]) return `${labels[path]} ${message}`;
  return path === '' ? message : `${path}: ${message}`;
}

function formatIssuePath(path: PropertyKey[]): string {
  let out = '';
  for (const [index, segment] of path.entries()) {
    if (typeof segment === 'number') out += `[${segment}]`;
    // The first segment is printed as is: ECS schemas are keyed by dotted paths.
    else if (index === 0) out += String(segment);
    else if (typeof segment === 'string' && /^[A-Za-z_$@][\w$@-]*$/.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}
