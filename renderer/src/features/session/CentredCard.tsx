import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { DemoBadge } from '../../lib/DemoBadge';
import type { ReactNode } from 'react';

/** The frame for the screens shown before the caseload opens: setup, unlock, store problems. */
export function CentredCard({ title, intro, demo, children }: { title: string; intro: ReactNode; demo?: boolean; children: ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.1" component="main" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <Stack gap="md">
          <Group justify="space-between" align="center">
            <Text fw={700} c="nhsBlue.7">Clinic Caseload</Text>
            {demo && <DemoBadge />}
          </Group>
          <Title order={1} size="h2">{title}</Title>
          <Text size="sm" c="gray.7">{intro}</Text>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
