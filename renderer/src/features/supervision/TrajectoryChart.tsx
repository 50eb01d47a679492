import { LineChart } from '@mantine/charts';
import { Paper, Text } from '@mantine/core';
import type { Trajectory } from '../../../../shared/contract/supervision';
import { formatUkDate } from '../../../../shared/domain/dates';
import type { Outcomes } from '../../../../shared/outcomes';
import type { z } from 'zod';

/** A small chart of one measure across a case, with its caseness line (cut-off from the engine's instrument data). */
export function TrajectoryChart({ outcomes, trajectory }: { outcomes: Outcomes; trajectory: z.infer<typeof Trajectory> }) {
  const def = outcomes.instrument(trajectory.instrumentId);
  const name = def.title.split(' (')[0]!;
  const cut = def.caseness?.threshold;
  const data = trajectory.points.map((p) => ({ date: formatUkDate(p.date).slice(0, 5), [name]: p.total }));
  const summary = data.length === 0 ? `No ${name} scores yet.` : `${name}: ${trajectory.points.map((p) => p.total).join(', ')}${cut !== undefined ? `; caseness ${cut}` : ''}.`;
  return (
    <Paper withBorder p={6} style={{ flex: 1, minWidth: 0 }}>
      <Text fw={700} size="xs">{name}</Text>
      {data.length < 1 ? (
        <Text size="xs" c="gray.8">{summary}</Text>
      ) : (
        <figure style={{ margin: 0 }} aria-label={summary}>
          <LineChart
            h={90}
            data={data}
            dataKey="date"
            series={[{ name, color: 'nhsBlue.6' }]}
            withLegend={false}
            withTooltip={false}
            gridAxis="none"
            yAxisProps={{ domain: [def.totalRange?.min ?? 0, def.totalRange?.max ?? 'auto'], width: 24 }}
            referenceLines={cut !== undefined ? [{ y: cut, label: `caseness ${cut}`, color: 'red.8' }] : []}
          />
        </figure>
      )}
    </Paper>
  );
}
