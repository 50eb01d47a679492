import { Anchor, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ClinicWeek } from '../../../../shared/contract/appointments';
import { WEEKDAYS } from '../../../../shared/contract/clinics';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS } from '../../../../shared/domain/episodeCodes';

/** Monday to Sunday at a glance; a day's heading (its visible words are its name) opens that day. */
export function WeekGrid({ week, onOpenDay }: { week: ClinicWeek; onOpenDay: (date: string) => void }) {
  return (
    <SimpleGrid cols={7} spacing="xs" aria-label="Week">
      {week.days.map((day, i) => (
        <Paper key={day.date} withBorder p="xs" mih={160} component="section" aria-labelledby={`week-${day.date}`}>
          <Title order={2} size="h6" id={`week-${day.date}`}>
            <Anchor component="button" onClick={() => onOpenDay(day.date)} size="sm" fw={700}>
              {WEEKDAYS[i]} {formatUkDate(day.date).slice(0, 5)}
            </Anchor>
          </Title>
          <Stack gap={6} mt={6}>
            {day.appointments.length === 0 && <Text size="xs" c="gray.8">Nothing booked</Text>}
            {day.appointments.map((a) => {
              const cancelled = a.attendance === 2 || a.attendance === 4;
              return (
                <div key={a.id} data-testid="week-appointment">
                  <Text size="xs" fw={700} td={cancelled ? 'line-through' : undefined}>{a.startTime} {a.patientName}</Text>
                  <Text size="xs" c="gray.8">
                    {a.groupName ?? a.clinicName ?? a.location}
                    {a.attendance !== null ? ` · ${ATTENDANCE_LABELS[a.attendance]}` : ''}
                  </Text>
                </div>
              );
            })}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
