import { Anchor, Text } from '@mantine/core';
import type { LinkedReferral } from '../../../../shared/contract/carePlan';
import { formatUkDate } from '../../../../shared/domain/dates';
import { useNavigation } from '../../app/navigation';

/** The history a step change links (ref §5.7): where this referral came from, and where it went. */
export function LinkedReferrals({ previous, next, sourceCode }: { previous: LinkedReferral | null; next: LinkedReferral | null; sourceCode: string }) {
  const { go } = useNavigation();
  if (!previous && !next) return null;
  const open = (r: LinkedReferral) => go({ view: 'episode', referralId: r.id });
  return (
    <>
      {previous && (
        <Text size="sm" data-testid="stepped-from">
          {sourceCode === 'N2' ? 'Stepped down' : sourceCode === 'N1' ? 'Stepped up' : 'Stepped'} from step {previous.step ?? '—'}:{' '}
          <Anchor component="button" size="sm" onClick={() => open(previous)}>
            referral received {formatUkDate(previous.receivedDate)}
          </Anchor>
          {previous.dischargeDate ? `, ended ${formatUkDate(previous.dischargeDate)} (end code ${previous.endCode})` : ''}
        </Text>
      )}
      {next && (
        <Text size="sm" data-testid="stepped-to">
          Stepped to step {next.step ?? '—'} on {formatUkDate(next.receivedDate)}:{' '}
          <Anchor component="button" size="sm" onClick={() => open(next)}>
            new referral, source {next.sourceCode}
          </Anchor>
        </Text>
      )}
    </>
  );
}
