import { Anchor, Group, Text, Title } from '@mantine/core';
import type { PatientSummary } from '../../../../shared/contract/patients';
import { formatUkDate } from '../../../../shared/domain/dates';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { useNavigation, type Place } from '../../app/navigation';

/** Who this screen is about, always in view, with the way back. */
export function PatientHeader({ patient, back, backLabel, title }: { patient: PatientSummary; back: Place; backLabel: string; title: string }) {
  const { go } = useNavigation();
  return (
    <div>
      <Anchor component="button" size="sm" onClick={() => go(back)}>
        ← {backLabel}
      </Anchor>
      <Title order={1} size="h2" mt={4}>
        {title}
      </Title>
      <Group gap="lg">
        <Text size="sm" fw={600}>
          {patient.familyName.toUpperCase()}, {patient.givenName}
        </Text>
        <Text size="sm">NHS {formatNhsNumber(patient.nhsNumber)}</Text>
        <Text size="sm">Born {formatUkDate(patient.dateOfBirth)}</Text>
        <Text size="sm">{patient.gpPractice}</Text>
      </Group>
    </div>
  );
}
