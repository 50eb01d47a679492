import { LineChart } from '@mantine/charts';
import { Table, Text, VisuallyHidden } from '@mantine/core';
import type { Goal } from '../../../../shared/contract/carePlan';
import { formatUkDate } from '../../../../shared/domain/dates';
import { GOAL_RATING_MAX, GOAL_RATING_MIN } from '../../../../shared/domain/stepChange';

const COLOURS = ['nhsBlue.6', 'teal.7', 'grape.7', 'orange.8', 'red.8', 'dark.5'];

/** Goal n's short name on the chart; the table beside it gives the patient's words in full. */
const seriesName = (i: number) => `Goal ${i + 1}`;

/**
 * Each goal's 0–10 ratings across sessions, as a line chart and as a table (the table is what a screen reader or
 * a keyboard user reads; the chart is a picture of the same numbers).
 */
export function GoalChart({ goals }: { goals: Goal[] }) {
  if (goals.length === 0) return <Text size="sm" c="gray.8">No goals yet. Add the patient's goals in their own words.</Text>;
  const dates = [...new Set(goals.flatMap((g) => g.ratings.map((r) => r.date)))].sort();
  if (dates.length === 0) return <Text size="sm" c="gray.8">No ratings yet. Rate the goals at a session to chart them.</Text>;
  // The last rating of a day stands for that day (a second rating the same day corrects the first).
  const at = (g: Goal, date: string) => g.ratings.filter((r) => r.date === date).at(-1)?.rating;
  const data = dates.map((date) => ({ date: formatUkDate(date).slice(0, 5), ...Object.fromEntries(goals.map((g, i) => [seriesName(i), at(g, date) ?? null])) }));
  const summary = goals.map((g, i) => `${seriesName(i)}: ${g.ratings.map((r) => r.rating).join(', ') || 'not rated'}`).join('; ');
  return (
    <>
      <figure style={{ margin: 0 }} aria-label={`Goal ratings out of ${GOAL_RATING_MAX}. ${summary}.`}>
        <LineChart
          h={200}
          data={data}
          dataKey="date"
          series={goals.map((_, i) => ({ name: seriesName(i), color: COLOURS[i % COLOURS.length]! }))}
          connectNulls
          withLegend
          legendProps={{ verticalAlign: 'bottom' }}
          yAxisProps={{ domain: [GOAL_RATING_MIN, GOAL_RATING_MAX], ticks: [0, 2, 4, 6, 8, 10] }}
          tooltipAnimationDuration={0}
        />
      </figure>
      <Table aria-label="Goal ratings by session" mt="sm" verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Goal</Table.Th>
            {dates.map((d) => (
              <Table.Th key={d}>{formatUkDate(d)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {goals.map((g, i) => (
            <Table.Tr key={g.id}>
              <Table.Th scope="row" fw={400}>
                <Text span fw={700} size="sm">{seriesName(i)}</Text>
                <VisuallyHidden>:</VisuallyHidden> {g.description}
              </Table.Th>
              {dates.map((d) => (
                <Table.Td key={d}>{at(g, d) ?? '—'}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}
