import Markdown from 'react-markdown';
import './markdown-guide.css';

// Headings of a guide sit under the page's own h1/h2.
const components = {
  h1: 'h3',
  h2: 'h4',
  h3: 'h5',
} as const;

/** A rule's investigation guide. Raw HTML in the Markdown is never rendered, only text and Markdown structure. */
export function MarkdownGuide({ source }: { source: string }) {
  return (
    <div className="guide">
      <Markdown skipHtml components={components}>
        {source}
      </Markdown>
    </div>
  );
}
