import { Alert, Code, Text } from '@mantine/core';
import type { SessionStatus } from '../../../../shared/contract/session';
import { RestoreBackupForm } from '../backup/RestoreBackupForm';
import { CentredCard } from './CentredCard';

/** Shown when the store or its key file cannot be opened: says which file, changes nothing, offers a restore. */
export function StoreProblemScreen({ problem, onRestored }: { problem: SessionStatus['problem']; onRestored: (s: SessionStatus) => void }) {
  return (
    <CentredCard title="The caseload cannot be opened" intro="Nothing has been changed or overwritten. You can restore your most recent backup; the files it replaces are kept beside it.">
      <Alert color="red" role="alert" title="What went wrong">
        <Text size="sm">{problem?.message ?? 'The store could not be opened.'}</Text>
        {problem?.file && <Code block mt="xs">{problem.file}</Code>}
      </Alert>
      <RestoreBackupForm needsCurrentPassphrase={false} onRestored={onRestored} />
    </CentredCard>
  );
}
