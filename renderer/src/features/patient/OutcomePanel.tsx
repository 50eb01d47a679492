import { Badge, Group, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ReferralDetail } from '../../../../shared/contract/referrals';
import type { Screening } from '../../../../shared/contract/screenings';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ukDatesIn } from '../../lib/forms';
import type { Outcomes } from '../../../../shared/outcomes';
import { OutcomeChart } from './OutcomeChart';
import { outcomeWords, REASON_ORDER } from './outcomeWords';

/** Filled, dark shades: white text on them passes contrast at badge size. */
const TONE = { good: 'teal.9', bad: 'red.9', neutral: 'gray.7' } as const;

/** The episode's live classification from `classifyEpisode`, in plain words with its reasons, and its trajectory. */
export function OutcomePanel({ detail, outcomes, screenings = [] }: { detail: ReferralDetail; outcomes: Outcomes; screenings?: Screening[] }) {
  const c = detail.classification;
  const discharged = detail.referral.status === 'discharged';
  const words = outcomeWords(c, discharged);
  const hba1c = detail.measures.filter((m) => m.instrumentId === 'hba1c' && m.total !== null);
  const dds17 = detail.measures.filter((m) => m.instrumentId === 'dds17' && m.total !== null);
  const dds2 = screenings.filter((s) => s.instrumentId === 'dds2' && s.total !== null);
  const physical = [
    ...hba1c.map((m) => ({ key: m.id, date: m.date, what: 'HbA1c', value: `${m.total} mmol/mol` })),
    ...dds2.map((s) => ({ key: s.id, date: s.date, what: 'DDS2 (mean)', value: `${s.total}${s.positive ? ' · positive screen' : ''}` })),
    ...dds17.map((m) => ({ key: m.id, date: m.date, what: 'DDS-17 (mean)', value: String(m.total) })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const nothingYet = c.phq9.count === 0 && c.anxiety.count === 0 && c.treatmentContacts === 0 && physical.length === 0;
  if (nothingYet) {
    return (
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>Outcome {discharged ? `at discharge (${formatUkDate(detail.referral.dischargeDate!)})` : 'so far'}</Title>
        <Text size="sm" c="gray.8" data-testid="outcome-words">
          {outcomeWords(c, discharged).map((w) => w.text).join(' · ')}. No treatment contacts or scores yet.
        </Text>
      </Paper>
    );
  }
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">Outcome {discharged ? `at discharge (${formatUkDate(detail.referral.dischargeDate!)})` : 'so far'}</Title>
      <Group gap="xs" mb="sm" data-testid="outcome-words">
        {words.map((w) => (
          <Badge key={w.text} variant="filled" color={TONE[w.tone]} size="lg" tt="none">
            {w.text}
          </Badge>
        ))}
      </Group>
      <Group align="stretch" gap="sm" wrap="nowrap">
        <OutcomeChart outcomes={outcomes} instrumentId="phq9" measures={detail.measures} first={c.phq9.first?.total ?? null} />
        <OutcomeChart outcomes={outcomes} instrumentId={c.anxietyMeasure} measures={detail.measures} first={c.anxiety.first?.total ?? null} />
        <Paper withBorder p="sm" w={280}>
          <Text fw={700} size="sm" mb={4}>Physical health and diabetes distress</Text>
          {physical.length === 0 ? (
            <Text size="sm" c="gray.8">No HbA1c or diabetes distress scores.</Text>
          ) : (
            <Table aria-label="HbA1c and diabetes distress" verticalSpacing={2} fz="sm">
              <Table.Tbody>
                {physical.map((p) => (
                  <Table.Tr key={p.key}>
                    <Table.Td>{formatUkDate(p.date)}</Table.Td>
                    <Table.Td>{p.what}</Table.Td>
                    <Table.Td>{p.value}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </Group>
      <Stack gap={2} mt="sm">
        <Text size="sm" fw={700}>Why</Text>
        <List size="sm" spacing={2}>
          {REASON_ORDER.filter((r) => c.reasons[r.key]).map((r) => (
            <List.Item key={r.key}>
              <Text span size="sm" fw={600}>{r.label}:</Text> {ukDatesIn(c.reasons[r.key]!)}
            </List.Item>
          ))}
          {c.dataQuality.map((q) => (
            <List.Item key={q}>
              <Text span size="sm" fw={600}>Data:</Text> {ukDatesIn(q)}
            </List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}
