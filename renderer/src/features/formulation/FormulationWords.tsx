import { List, Stack, Text, Title } from '@mantine/core';
import { describeFormulation, type FormulationDiagram } from '../../../../shared/domain/formulation';

/**
 * The diagram in words — every box, each "X leads to Y" and the maintaining cycles — visible beside the drawing
 * and named as the drawing's description, so a screen reader hears the same formulation the eye sees.
 */
export function FormulationWords({ diagram, id }: { diagram: FormulationDiagram; id: string }) {
  const words = describeFormulation(diagram);
  return (
    <Stack gap={4} id={id}>
      <Title order={2} size="h5">The formulation in words</Title>
      <List size="sm" spacing={2}>
        {words.boxes.map((line) => <List.Item key={line}>{line}</List.Item>)}
      </List>
      <Text size="sm" fw={700} mt={4}>How they connect</Text>
      {words.relations.length === 0 ? <Text size="sm">No arrows yet.</Text> : (
        <List size="sm" spacing={2}>
          {words.relations.map((line) => <List.Item key={line}>{line}</List.Item>)}
        </List>
      )}
      <Text size="sm" fw={700} mt={4}>Maintaining cycles</Text>
      {words.cycles.length === 0 ? <Text size="sm">No cycle yet: arrows that come back round make one.</Text> : (
        <List size="sm" spacing={2}>
          {words.cycles.map((line) => <List.Item key={line}>{line}</List.Item>)}
        </List>
      )}
    </Stack>
  );
}
