import { LineChart } from '@mantine/charts';
import { Paper, Text } from '@mantine/core';
import type { Measure } from '../../../../shared/contract/measures';
import { formatUkDate } from '../../../../shared/domain/dates';
import type { Outcomes } from '../../../../shared/outcomes';

/**
 * One measure across sessions with its caseness line and the reliable-change band around the first score
 * (a change inside the band is not reliable). Cut-off and band come from the engine's instrument data.
 */
export function OutcomeChart({ outcomes, instrumentId, measures, first }: { outcomes: Outcomes; instrumentId: string; measures: Measure[]; first: number | null }) {
  const def = outcomes.instrument(instrumentId);
  const name = def.title.split(' (')[0]!;
  const byDate = new Map<string, number>();
  for (const m of measures) if (m.instrumentId === instrumentId && m.total !== null) byDate.set(m.date, m.total);
  const data = [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, total]) => ({ date: formatUkDate(date).slice(0, 5), [name]: total }));
  const cut = def.caseness?.threshold;
  const rc = def.reliableChange?.value;
  const max = def.totalRange?.max;
  const summary = data.length === 0 ? `No ${name} scores yet.` : `${name}: ${data.map((d) => d[name]).join(', ')}${cut !== undefined ? `; caseness cut-off ${cut}` : ''}.`;
  return (
    <Paper withBorder p="sm" style={{ flex: 1, minWidth: 0 }}>
      <Text fw={700} size="sm" mb={4}>{def.title}</Text>
      {data.length === 0 ? (
        <Text size="sm" c="gray.8">{summary}</Text>
      ) : (
        <figure style={{ margin: 0 }} aria-label={summary}>
          <LineChart
            h={180}
            data={data}
            dataKey="date"
            series={[{ name, color: 'nhsBlue.6' }]}
            withLegend={false}
            yAxisProps={{ domain: [def.totalRange?.min ?? 0, max ?? 'auto'] }}
            referenceLines={cut !== undefined ? [{ y: cut, label: `caseness ${cut}`, color: 'red.8' }] : []}
            referenceAreas={first !== null && rc !== undefined ? [{ y1: Math.max(def.totalRange?.min ?? 0, first - rc), y2: Math.min(max ?? first + rc, first + rc), color: 'gray.4', fillOpacity: 0.35 }] : []}
            tooltipAnimationDuration={0}
          />
          <figcaption>
            <Text size="xs" c="gray.8">Shaded: within ±{rc} of the first score ({first ?? '—'}), not a reliable change.</Text>
          </figcaption>
        </figure>
      )}
    </Paper>
  );
}
