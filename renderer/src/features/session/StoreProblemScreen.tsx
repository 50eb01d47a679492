import { Alert, Code, Divider, Text } from '@mantine/core';
import type { SessionStatus } from '../../../../shared/contract/session';
import { RestoreBackupForm } from '../backup/RestoreBackupForm';
import { DeviceUserPicker } from '../users/DeviceUserPicker';
import { CentredCard } from './CentredCard';

/** Shown when the store or its key file cannot be opened: says which file, changes nothing, offers a restore. */
export function StoreProblemScreen({ problem, onRestored, status }: { problem: SessionStatus['problem']; onRestored: (s: SessionStatus) => void; status?: SessionStatus }) {
  // One person's damaged store must not keep the others on this laptop out of theirs.
  const others = status && status.deviceUsers.some((u) => u.key !== status.currentUser);
  return (
    <CentredCard title="The caseload cannot be opened" intro="Nothing has been changed or overwritten. You can restore your most recent backup; the files it replaces are kept beside it.">
      <Alert color="red" role="alert" title="What went wrong">
        <Text size="sm">{problem?.message ?? 'The store could not be opened.'}</Text>
        {problem?.file && <Code block mt="xs">{problem.file}</Code>}
      </Alert>
      <RestoreBackupForm needsCurrentPassphrase={false} onRestored={onRestored} />
      {others && <Divider label="or open someone else’s caseload" />}
      {others && <DeviceUserPicker status={status} onStatus={onRestored} onFailure={() => {}} canAdd={false} />}
    </CentredCard>
  );
}
