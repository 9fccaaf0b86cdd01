// The Markdown report puts log values only in code spans, whatever backticks or markup they hold.
import { describe, expect, it } from 'vitest';
import { codeSpan } from '../../../lib/incidents/export-incident';

describe('codeSpan', () => {
  it('fences past the longest backtick run and flattens newlines', () => {
    expect(codeSpan('plain')).toBe('`plain`');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('<img src=x onerror=alert(1)>\n# heading')).toBe('`<img src=x onerror=alert(1)> # heading`');
    expect(codeSpan(null)).toBe('—');
  });
});
