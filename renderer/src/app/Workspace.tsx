import { AppShell, Button, Group, List, Notification, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { SessionStatus } from '../../../shared/contract/session';
import { ROLE_LABELS, type Role } from '../../../shared/domain/people';
import { roleMayCall } from '../../../shared/roles/policy';
import { BackupsDialog } from '../features/backup/BackupsDialog';
import { CarePlanPage } from '../features/carePlan/CarePlanPage';
import { CaseloadPage } from '../features/caseload/CaseloadPage';
import { FormulationPage } from '../features/formulation/FormulationPage';
import { ExportsPage } from '../features/exports/ExportsPage';
import { LettersPage } from '../features/letters/LettersPage';
import { ClinicDayPage } from '../features/clinicDay/ClinicDayPage';
import { EpisodePage } from '../features/patient/EpisodePage';
import { GroupPage } from '../features/groups/GroupPage';
import { GroupsPage } from '../features/groups/GroupsPage';
import { PatientPage } from '../features/patient/PatientPage';
import { SessionPage } from '../features/sessions/SessionPage';
import { SupervisionPage } from '../features/supervision/SupervisionPage';
import { ServiceSettingsPage } from '../features/settings/ServiceSettingsPage';
import { ReportsPage } from '../features/reports/ReportsPage';
import { ChangePassphraseDialog } from '../features/session/ChangePassphraseDialog';
import { BookingHome } from '../features/users/BookingHome';
import { UsersPage } from '../features/users/UsersPage';
import { SyncBadge } from '../features/sync/SyncBadge';
import { SyncPage } from '../features/sync/SyncPage';
import { api } from '../lib/api';
import { DemoBadge } from '../lib/DemoBadge';
import { settingsChanged } from '../lib/useOutcomes';
import { NavigationContext, type Place } from './navigation';
import { takeReturnPlace } from '../features/patientMode/handOver';

/**
 * Where each role starts (issue #10 §9; the services enforce the same in shared/roles/policy.ts): clinicians on
 * their caseload, the booking clerk on the patient register, the admin on the team directory, the service lead
 * on the service's reports.
 */
export function homeFor(role: Role): Place {
  if (role === 'admin') return { view: 'users' };
  if (role === 'booking-clerk') return { view: 'patients' };
  if (role === 'service-lead') return { view: 'reports' };
  return { view: 'caseload' };
}

function Screen({ place, ownId, go, onStatus }: { place: Place; ownId: string; go: (p: Place) => void; onStatus: (s: SessionStatus) => void }) {
  switch (place.view) {
    case 'caseload':
      return <CaseloadPage />;
    case 'users':
      return <UsersPage ownId={ownId} />;
    case 'supervision':
      return <SupervisionPage />;
    case 'patients':
      return <BookingHome />;
    case 'sync':
      return <SyncPage tab={place.tab} onTab={(tab) => go({ view: 'sync', tab })} onSignedOut={onStatus} />;
    case 'settings':
      return <ServiceSettingsPage />;
    case 'exports':
      return <ExportsPage />;
    case 'clinicDay':
      return <ClinicDayPage />;
    case 'reports':
      return <ReportsPage />;
    case 'groups':
      return <GroupsPage />;
    case 'group':
      return <GroupPage key={place.groupId} groupId={place.groupId} />;
    case 'patient':
      return <PatientPage key={place.patientId} patientId={place.patientId} />;
    case 'episode':
      return <EpisodePage key={place.referralId} referralId={place.referralId} />;
    case 'letters':
      return <LettersPage key={place.referralId} referralId={place.referralId} />;
    case 'formulation':
      return <FormulationPage key={place.referralId} referralId={place.referralId} />;
    case 'carePlan':
      return <CarePlanPage key={place.referralId} referralId={place.referralId} ownId={ownId} sessionDate={place.sessionDate} />;
    case 'session':
      return <SessionPage key={place.contactId} referralId={place.referralId} contactId={place.contactId} />;
  }
}

export function Workspace({
  status,
  notices,
  onDismissNotices,
  onStatus,
}: {
  status: SessionStatus;
  notices: string[];
  onDismissNotices: () => void;
  onStatus: (s: SessionStatus) => void;
}) {
  const [notice, setNotice] = useState<string | null>(null);
  const [changingPassphrase, setChangingPassphrase] = useState(false);
  const [backups, setBackups] = useState(false);
  // Back from patient questionnaires (or a lock during them): the session record they were started from.
  const role = status.owner?.role ?? 'pwp';
  const home = homeFor(role);
  const [place, setPlace] = useState<Place>(() => takeReturnPlace() ?? home);
  // Locking (by hand or idle) unmounts the workspace; the next unlock may open a restored store.
  useEffect(() => () => settingsChanged(), []);
  const go = (next: Place) => {
    setNotice(null);
    setPlace(next);
    window.scrollTo(0, 0);
  };
  const lock = async () => onStatus(await api['session.lock']({}));
  // Switching user locks this caseload; the unlock screen then asks who is using the laptop.
  const switchUser = lock;
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <Text fw={700} c="nhsBlue.7" size="lg" component="button" onClick={() => go(home)} bg="transparent" bd="none" style={{ cursor: 'pointer', whiteSpace: 'nowrap' }}>
              Clinic Caseload
            </Text>
            {status.demo && <DemoBadge />}
            <SyncBadge onOpen={(tab) => go({ view: 'sync', tab })} />
          </Group>
          <Group gap={6} wrap="nowrap">
            {status.owner && (
              <Text size="sm" c="gray.8" lh={1.2}>
                {status.owner.displayName} · {ROLE_LABELS[status.owner.role]}
              </Text>
            )}
            {/* Each screen is offered to the roles the policy lets call it (shared/roles/policy.ts); the services refuse the rest anyway. */}
            {roleMayCall(role, 'users.create') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'users' })}>Team</Button>}
            {roleMayCall(role, 'clinicDay.day') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'clinicDay' })}>Clinic day</Button>}
            {roleMayCall(role, 'groups.list') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'groups' })}>Groups</Button>}
            {roleMayCall(role, 'reports.service') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'reports' })}>Reports</Button>}
            {roleMayCall(role, 'exports.dataSet') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'exports' })}>Exports</Button>}
            {roleMayCall(role, 'supervision.review') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'supervision' })}>Supervision</Button>}
            {roleMayCall(role, 'serviceSettings.update') && <Button variant="default" size="compact-sm" onClick={() => go({ view: 'settings' })}>Settings</Button>}
            <Button variant="default" size="compact-sm" onClick={() => setChangingPassphrase(true)}>Change passphrase</Button>
            <Button variant="default" size="compact-sm" onClick={() => setBackups(true)}>Backups</Button>
            <Button variant="default" size="compact-sm" onClick={switchUser}>Switch user</Button>
            <Button variant="filled" color="dark" size="compact-sm" onClick={lock}>Lock</Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        {notices.length > 0 && (
          <Notification color="yellow" title="Since you last opened the caseload" onClose={onDismissNotices} mb="md" role="status" withBorder closeButtonProps={{ 'aria-label': 'Dismiss' }}>
            <List size="sm" c="gray.9">
              {notices.map((n) => (
                <List.Item key={n}>{n}</List.Item>
              ))}
            </List>
          </Notification>
        )}
        {notice && (
          <Notification color="teal" onClose={() => setNotice(null)} mb="md" role="status" withBorder closeButtonProps={{ 'aria-label': 'Dismiss' }}>
            {notice}
          </Notification>
        )}
        <NavigationContext.Provider value={{ place, go }}>
          <Screen place={place} ownId={status.owner?.id ?? ''} go={go} onStatus={onStatus} />
        </NavigationContext.Provider>
        <ChangePassphraseDialog
          opened={changingPassphrase}
          onClose={() => setChangingPassphrase(false)}
          onChanged={() => {
            setChangingPassphrase(false);
            setNotice('Passphrase changed and the caseload re-encrypted with a new key. Use the new passphrase next time you unlock; backups made before today open with the passphrase of their day.');
          }}
        />
        <BackupsDialog
          opened={backups}
          onClose={() => setBackups(false)}
          onRestored={(s) => {
            setBackups(false);
            onStatus(s);
          }}
        />
      </AppShell.Main>
    </AppShell>
  );
}
