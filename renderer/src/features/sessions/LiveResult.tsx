import { Group, Text } from '@mantine/core';
import type { MeasureScore, Outcomes } from '../../../../shared/outcomes';

/** What a score means, in words, from the engine: total, severity, caseness and reliable change since the first score. */
export function resultWords(outcomes: Outcomes, score: MeasureScore | null, first: number | null, answeredOf?: { answered: number; of: number }): string {
  if (!score) return 'Not a valid entry yet.';
  const defOf = outcomes.instrument(score.instrumentId);
  if (score.total === null) {
    if (answeredOf && answeredOf.answered < answeredOf.of) return `${answeredOf.answered} of ${answeredOf.of} answered.`;
    if (defOf.scoring.method === 'none') return score.complete ? 'Complete (this measure has no total).' : `Incomplete: ${score.missing.length} item${score.missing.length === 1 ? '' : 's'} not answered.`;
    return score.missing.length > 0 ? `Total left empty: ${score.missing.length} item${score.missing.length === 1 ? '' : 's'} skipped (no prorating).` : 'Complete (this measure has no total).';
  }
  const def = outcomes.instrument(score.instrumentId);
  const parts = [`${def.scoring.method === 'mean' ? 'Mean' : 'Total'} ${score.total}`];
  if (score.severity) parts.push(score.severity.toLowerCase());
  if (score.screen) parts.push(score.screen.label);
  else if (def.screen) parts.push('no screen result: the service has not set a cut-off');
  if (score.caseness !== null) parts.push(score.caseness ? 'at caseness' : 'below caseness');
  if (first !== null && def.reliableChange) {
    const change = outcomes.reliableChange(score.instrumentId, first, score.total);
    parts.push(change === 'none' ? `no reliable change since the first score (${first})` : `reliably ${change} since the first score (${first})`);
  }
  return parts.join(' · ') + '.';
}

export function LiveResult({ id, words, tone }: { id: string; words: string; tone: 'neutral' | 'alert' }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c={tone === 'alert' ? 'red.9' : 'gray.9'} fw={600} data-testid={`result-${id}`} aria-live="polite">
        {words}
      </Text>
    </Group>
  );
}
