'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OutcomeBreakdown } from '@/lib/alerts/read-alert';
import { outcomeColors, outcomeLabels } from './outcome-colors';
import './charts.css';

/** Allowed vs forbidden, then the response codes, of an alert's evidence. */
export function OutcomeBreakdownChart({ breakdown }: { breakdown: OutcomeBreakdown }) {
  return (
    <div className="chart-pair">
      <figure className="chart" aria-label="Allowed vs forbidden">
        <figcaption>Allowed vs forbidden</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart
            data={breakdown.outcomes.map((entry) => ({ ...entry, label: outcomeLabels[entry.outcome] }))}
            layout="vertical"
            margin={{ left: 8, right: 16 }}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={84} />
            <Tooltip />
            <Bar dataKey="count" name="events" isAnimationActive={false}>
              {breakdown.outcomes.map((entry) => (
                <Cell key={entry.outcome} fill={outcomeColors[entry.outcome]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label="Response codes">
        <figcaption>Response codes</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart data={breakdown.responseCodes} margin={{ right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="code" />
            <YAxis allowDecimals={false} width={40} />
            <Tooltip />
            <Bar dataKey="count" name="events" isAnimationActive={false}>
              {breakdown.responseCodes.map((entry) => (
                <Cell key={`${entry.code}-${entry.outcome}`} fill={outcomeColors[entry.outcome]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
