import { Badge, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The frame for the screens shown before the caseload opens: setup, unlock, store problems. */
export function CentredCard({ title, intro, demo, children }: { title: string; intro: ReactNode; demo?: boolean; children: ReactNode }) {
  return (
    <Center mih="100vh" bg="gray.1" component="main" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} radius="md">
        <Stack gap="md">
          <Group justify="space-between" align="center">
            <Text fw={700} c="nhsBlue.7">Clinic Caseload</Text>
            {demo && <Badge color="#9c3a00" variant="filled">Demo – synthetic data</Badge>}
          </Group>
          <Title order={1} size="h2">{title}</Title>
          <Text size="sm" c="gray.7">{intro}</Text>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
