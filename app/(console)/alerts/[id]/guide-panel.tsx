import { MarkdownGuide } from '@/components/markdown-guide';

export function GuidePanel({ guide }: { guide: string | null }) {
  return (
    <section className="panel" aria-label="Investigation guide">
      <h2>Investigation guide</h2>
      {guide ? <MarkdownGuide source={guide} /> : <p className="muted">This rule has no guide.</p>}
    </section>
  );
}
