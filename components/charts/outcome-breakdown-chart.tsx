'use client';

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OutcomeBreakdown } from '@/lib/alerts/read-alert';
import { niceTicks } from './nice-ticks';
import { outcomeColors, outcomeLabels } from './outcome-colors';
import { axisTick, tooltipStyle } from './time-bucket-chart';
import './charts.css';

/** Allowed vs forbidden, then the response codes, of an alert's evidence. */
export function OutcomeBreakdownChart({ breakdown }: { breakdown: OutcomeBreakdown }) {
  const outcomeTicks = niceTicks(Math.max(0, ...breakdown.outcomes.map((entry) => entry.count)));
  const codeTicks = niceTicks(Math.max(0, ...breakdown.responseCodes.map((entry) => entry.count)));
  return (
    <div className="chart-pair">
      <figure className="chart" aria-label="Allowed vs forbidden">
        <figcaption>Allowed vs forbidden</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <BarChart
            data={breakdown.outcomes.map((entry) => ({ ...entry, label: outcomeLabels[entry.outcome] }))}
            layout="vertical"
            margin={{ top: 10, left: 8, right: 16 }}
          >
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--chart-grid)" />
            <XAxis
              type="number"
              allowDecimals={false}
              ticks={outcomeTicks}
              domain={[0, outcomeTicks.at(-1)!]}
              interval={0}
              tick={axisTick}
              stroke="var(--chart-grid)"
            />
            <YAxis type="category" dataKey="label" width={84} tick={axisTick} stroke="var(--chart-grid)" />
            <Tooltip contentStyle={tooltipStyle} cursor={{ fill: 'var(--subtle)' }} />
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
          <BarChart data={breakdown.responseCodes} margin={{ top: 10, right: 16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--chart-grid)" />
            <XAxis dataKey="code" tick={axisTick} stroke="var(--chart-grid)" />
            <YAxis
              allowDecimals={false}
              width={40}
              ticks={codeTicks}
              domain={[0, codeTicks.at(-1)!]}
              interval={0}
              tick={axisTick}
              stroke="var(--chart-grid)"
            />
            <Tooltip contentStyle={tooltipStyle} cursor={{ fill: 'var(--subtle)' }} />
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
