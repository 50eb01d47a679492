import { Alert, Badge, Button, Group, Paper, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { SessionStatus } from '../../../../shared/contract/session';
import type { SyncStatus } from '../../../../shared/contract/sync';
import { api } from '../../lib/api';
import { errorMessage, showSaveError } from '../../lib/errors';
import { formatInstant } from '../../lib/format';
import { Dialog } from '../../lib/Dialog';
import { ConflictsInbox } from './ConflictsInbox';
import { EnrolForm } from './EnrolForm';
import { badgeWords, readableBadge } from './syncWords';
import { publishSyncStatus, useSyncStatus } from './useSyncStatus';

const SIGN_OUT_PHRASE = 'remove this caseload from this device';

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" fw={700} c="gray.8">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

/** The Sync screen: enrolment, or the status in full with Sync now and sign-out; and the conflicts inbox. */
export function SyncPage({ tab, onTab, onSignedOut }: { tab: 'status' | 'conflicts'; onTab: (t: 'status' | 'conflicts') => void; onSignedOut: (s: SessionStatus) => void }) {
  const { status } = useSyncStatus();
  if (!status) return <Text>Loading…</Text>;
  return (
    <Stack gap="md" maw={1100}>
      <Title order={1} size="h2">
        Sync with the team
      </Title>
      {!status.enrolled ? (
        <EnrolForm onEnrolled={publishSyncStatus} />
      ) : (
        <Tabs value={tab} onChange={(v) => onTab(v === 'conflicts' ? 'conflicts' : 'status')} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="status">Status</Tabs.Tab>
            <Tabs.Tab value="conflicts" rightSection={status.openConflicts + status.refusedChanges > 0 ? <Badge size="xs" {...readableBadge('red')}>{status.openConflicts + status.refusedChanges}</Badge> : null}>
              Conflicts
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="status" pt="md">
            <StatusPanel status={status} onSignedOut={onSignedOut} />
          </Tabs.Panel>
          <Tabs.Panel value="conflicts" pt="md">
            <ConflictsInbox />
          </Tabs.Panel>
        </Tabs>
      )}
    </Stack>
  );
}

function StatusPanel({ status, onSignedOut }: { status: SyncStatus; onSignedOut: (s: SessionStatus) => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const words = badgeWords(status);
  const syncNow = async () => {
    setBusy(true);
    setFailure(null);
    try {
      publishSyncStatus(await api['sync.now']({}));
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group justify="space-between" mb="sm">
          <Badge {...readableBadge(words.color)} size="lg">
            {words.text}
          </Badge>
          <Button onClick={syncNow} loading={busy}>
            Sync now
          </Button>
        </Group>
        <Text size="sm" mb="md">
          {words.detail}
        </Text>
        <SimpleGrid cols={{ base: 2, md: 4 }}>
          <Fact label="Team server" value={status.serverUrl ?? '—'} />
          <Fact label="Last synced" value={status.lastSyncedAt ? formatInstant(status.lastSyncedAt) : 'Not yet'} />
          <Fact label="Changes waiting to send" value={String(status.pendingChanges)} />
          <Fact label="Open conflicts" value={String(status.openConflicts)} />
          <Fact label="Changes the server refused" value={String(status.refusedChanges)} />
          <Fact label="Next attempt" value={status.nextAttemptAt ? formatInstant(status.nextAttemptAt) : '—'} />
          <Fact label="Warn after" value={`${status.staleAfterHours} hours without a sync`} />
        </SimpleGrid>
        {status.lastError && (
          <Alert color={status.state === 'refused' ? 'red' : 'gray'} mt="md">
            Last attempt: {status.lastError.message}
          </Alert>
        )}
        {failure && (
          <Alert color="red" role="alert" mt="md">
            {failure}
          </Alert>
        )}
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          Sign out of this device
        </Title>
        <Text size="sm" mb="sm">
          For a laptop being handed on: every change is sent to the team first, then this caseload is removed from
          this device. Sign-out is refused while anything has not reached the team server.
        </Text>
        <Button color="red.9" variant="outline" onClick={() => setSigningOut(true)}>
          Sign out…
        </Button>
      </Paper>
      <SignOutDialog opened={signingOut} onClose={() => setSigningOut(false)} onSignedOut={onSignedOut} />
    </Stack>
  );
}

function SignOutDialog({ opened, onClose, onSignedOut }: { opened: boolean; onClose: () => void; onSignedOut: (s: SessionStatus) => void }) {
  const [typed, setTyped] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setTyped('');
    setErrors({});
    setBanner(null);
    onClose();
  };
  const confirm = async (event: React.FormEvent) => {
    event.preventDefault();
    if (typed.trim() !== SIGN_OUT_PHRASE) {
      setErrors({ confirm: `Type “${SIGN_OUT_PHRASE}” to confirm` });
      return;
    }
    setBusy(true);
    setBanner(null);
    try {
      await api['sync.signOut']({ confirm: SIGN_OUT_PHRASE });
      onSignedOut(await api['session.status']({}));
    } catch (err) {
      showSaveError(err, setErrors, setBanner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog opened={opened} onClose={close} title="Sign out and remove this caseload">
      <form onSubmit={confirm} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            Everything is sent to the team server first. Then the caseload is removed from this laptop; it stays in
            the team's record. Backups you saved elsewhere are not touched.
          </Text>
          <TextInput label={`Type “${SIGN_OUT_PHRASE}”`} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} error={errors.confirm} autoComplete="off" data-autofocus />
          {banner && (
            <Alert color="red" role="alert">
              {banner}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red.9" loading={busy}>
              Sign out and remove
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
