import { outcomeLabels } from '@/components/charts/outcome-colors';

/** A request's outcome in its colour: allowed, forbidden or no outcome. */
export function OutcomeLabel({ outcome }: { outcome: keyof typeof outcomeLabels }) {
  return <span className={`outcome outcome-${outcome}`}>{outcomeLabels[outcome]}</span>;
}
