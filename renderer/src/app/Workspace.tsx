import { AppShell, Badge, Button, Group, Notification, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionStatus } from '../../../shared/contract/session';
import { ROLE_LABELS } from '../../../shared/domain/people';
import { CaseloadPage } from '../features/caseload/CaseloadPage';
import { EpisodePage } from '../features/patient/EpisodePage';
import { PatientPage } from '../features/patient/PatientPage';
import { SessionPage } from '../features/sessions/SessionPage';
import { ServiceSettingsPage } from '../features/settings/ServiceSettingsPage';
import { ChangePassphraseDialog } from '../features/session/ChangePassphraseDialog';
import { api } from '../lib/api';
import { errorMessage } from '../lib/errors';
import { settingsChanged } from '../lib/useOutcomes';
import { NavigationContext, type Place } from './navigation';

function Screen({ place }: { place: Place }) {
  switch (place.view) {
    case 'caseload':
      return <CaseloadPage />;
    case 'settings':
      return <ServiceSettingsPage />;
    case 'patient':
      return <PatientPage key={place.patientId} patientId={place.patientId} />;
    case 'episode':
      return <EpisodePage key={place.referralId} referralId={place.referralId} />;
    case 'session':
      return <SessionPage key={place.contactId} referralId={place.referralId} contactId={place.contactId} />;
  }
}

export function Workspace({ status, onLocked }: { status: SessionStatus; onLocked: (s: SessionStatus) => void }) {
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [changingPassphrase, setChangingPassphrase] = useState(false);
  const [place, setPlace] = useState<Place>({ view: 'caseload' });
  // Locking (by hand or idle) unmounts the workspace; the next unlock may open a restored store.
  useEffect(() => () => settingsChanged(), []);
  const go = (next: Place) => {
    setNotice(null);
    setPlace(next);
    window.scrollTo(0, 0);
  };
  const lock = async () => onLocked(await api['session.lock']({}));
  const backUp = async () => {
    try {
      const b = await api['backup.create']({});
      setNotice({ ok: true, text: `Encrypted backup saved (${b.file}).` });
    } catch (err) {
      setNotice({ ok: false, text: errorMessage(err) });
    }
  };
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Text fw={700} c="nhsBlue.7" size="lg" component="button" onClick={() => go({ view: 'caseload' })} bg="transparent" bd="none" style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}>
              Clinic Caseload
            </Text>
            {status.demo && <Badge color="#9c3a00" variant="filled" style={{ flexShrink: 0 }}>Demo – synthetic data</Badge>}
            <Badge color="gray" variant="light" style={{ flexShrink: 0 }} title="Sync with the service is not set up on this device yet">
              {status.demo ? 'Encrypted on this device' : 'Stored on this device · encrypted'}
            </Badge>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {status.owner && (
              <Text size="sm" c="gray.8" lh={1.2}>
                {status.owner.displayName} · {ROLE_LABELS[status.owner.role]}
              </Text>
            )}
            <Button variant="default" size="xs" onClick={() => go({ view: 'settings' })}>Settings</Button>
            <Button variant="default" size="xs" onClick={() => setChangingPassphrase(true)}>Change passphrase</Button>
            <Button variant="default" size="xs" onClick={backUp}>Back up now</Button>
            <Button variant="filled" color="dark" size="xs" onClick={lock}>Lock</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        {notice && (
          <Notification color={notice.ok ? 'teal' : 'red'} onClose={() => setNotice(null)} closeButtonProps={{ 'aria-label': 'Close message' }} mb="md" role="status" withBorder>
            {notice.text}
          </Notification>
        )}
        <NavigationContext.Provider value={{ place, go }}>
          <Screen place={place} />
        </NavigationContext.Provider>
        <ChangePassphraseDialog
          opened={changingPassphrase}
          onClose={() => setChangingPassphrase(false)}
          onChanged={() => {
            setChangingPassphrase(false);
            setNotice({ ok: true, text: 'Passphrase changed. Use the new one next time you unlock.' });
          }}
        />
      </AppShell.Main>
    </AppShell>
  );
}
