import { Badge } from '@mantine/core';

/** Marks synthetic data on every screen. A dark orange: Mantine's filled orange is 2.6:1 against its white text. */
export function DemoBadge() {
  return (
    <Badge color="#a84300" variant="filled">
      Demo – synthetic data
    </Badge>
  );
}
