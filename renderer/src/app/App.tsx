import { Center, Loader, Text } from '@mantine/core';
import { useSession } from './useSession';
import { SetupScreen } from '../features/session/SetupScreen';
import { UnlockScreen } from '../features/session/UnlockScreen';
import { StoreProblemScreen } from '../features/session/StoreProblemScreen';
import { Workspace } from './Workspace';
import { PatientModeScreen } from '../features/patientMode/PatientModeScreen';
import { exitNotices } from '../features/patientMode/patientModeRules';
import { api } from '../lib/api';

export function App() {
  const { status, setStatus, refresh, loadError, notices, dismissNotices } = useSession();
  if (loadError) {
    return (
      <Center h="100vh" component="main">
        <Text c="red.8" role="alert">{loadError}</Text>
      </Center>
    );
  }
  if (!status) {
    return (
      <Center h="100vh" component="main">
        <Loader aria-label="Opening the caseload" />
      </Center>
    );
  }
  switch (status.state) {
    case 'needs-setup':
      return <SetupScreen key={status.currentUser} status={status} onDone={setStatus} />;
    case 'locked':
      return <UnlockScreen key={status.currentUser} status={status} onUnlocked={setStatus} />;
    case 'store-error':
      return <StoreProblemScreen key={status.currentUser} problem={status.problem} onRestored={setStatus} status={status} />;
    case 'unlocked':
      if (status.patientMode) {
        return (
          <PatientModeScreen
            onExited={(result) => void api['session.status']({}).then((s) => setStatus({ ...s, notices: [...s.notices, ...exitNotices(result)] }), refresh)}
          />
        );
      }
      return <Workspace status={status} notices={notices} onDismissNotices={dismissNotices} onStatus={setStatus} />;
  }
}
