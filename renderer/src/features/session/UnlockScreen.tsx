import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import { AppError } from '../../../../shared/contract/errors';
import type { SessionStatus } from '../../../../shared/contract/session';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { RestoreBackupForm } from '../backup/RestoreBackupForm';
import { DeviceUserPicker } from '../users/DeviceUserPicker';
import { CentredCard } from './CentredCard';
import { StoreProblemScreen } from './StoreProblemScreen';

/** Codes that mean the store itself cannot be opened as it is: the problem screen, with restore, takes over. */
const STORE_PROBLEMS = ['STORE_CORRUPT', 'STORE_MISSING', 'KEYFILE_CORRUPT', 'NEWER_DATABASE', 'SCHEMA_ALTERED', 'STORE_ROLLED_BACK', 'UNKNOWN_CIPHER', 'KEYCHAIN_UNAVAILABLE'];

/** Seconds left before the next attempt is allowed, counting down once a second. */
export function useCountdown(): [number, (ms: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [until, now]);
  return [Math.max(0, Math.ceil((until - now) / 1000)), (ms: number) => (setNow(Date.now()), setUntil(Date.now() + ms))];
}

export function UnlockScreen({ status, onUnlocked }: { status: SessionStatus; onUnlocked: (s: SessionStatus) => void }) {
  const demo = status.demo;
  const current = status.deviceUsers.find((u) => u.key === status.currentUser);
  const [storeProblem, setStoreProblem] = useState<AppError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const [secondsLeft, waitFor] = useCountdown();
  const form = useForm({ initialValues: { passphrase: '' }, validate: { passphrase: (v) => (v ? null : 'Enter your passphrase') } });

  const submit = form.onSubmit(async ({ passphrase }) => {
    setFailure(null);
    try {
      onUnlocked(await api['session.unlock']({ passphrase }));
    } catch (err) {
      if (err instanceof AppError && STORE_PROBLEMS.includes(err.code)) {
        setStoreProblem(err);
        return;
      }
      if (err instanceof AppError && err.retryAfterMs) waitFor(err.retryAfterMs);
      if (err instanceof AppError && err.code === 'WRONG_PASSPHRASE') {
        form.setFieldValue('passphrase', '');
        setFailure('That passphrase is not right. Each wrong attempt makes the next one wait a little longer.');
      } else setFailure(errorMessage(err));
    }
  });

  if (storeProblem) {
    return <StoreProblemScreen problem={{ code: storeProblem.code, message: storeProblem.message, ...(storeProblem.file ? { file: storeProblem.file } : {}) }} onRestored={onUnlocked} />;
  }
  if (restoring) {
    return (
      <CentredCard title="Restore from a backup" demo={demo} intro="Replacing this caseload with a backup needs the passphrase that opens it today, then the passphrase of the backup.">
        <RestoreBackupForm needsCurrentPassphrase onRestored={onUnlocked} />
        <Button variant="subtle" onClick={() => setRestoring(false)}>Back to unlock</Button>
      </CentredCard>
    );
  }
  return (
    <CentredCard title="Unlock your caseload" demo={demo} intro="The caseload is locked. Choose who you are, then enter your passphrase to open your caseload.">
      <DeviceUserPicker status={status} onStatus={onUnlocked} onFailure={setFailure} />
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <PasswordInput
            label={current?.displayName ? `Passphrase for ${current.displayName}` : 'Passphrase'}
            autoComplete="current-password"
            autoFocus
            {...form.getInputProps('passphrase')}
          />
          {failure && (
            <Alert color="red" role="alert" title="Not unlocked">
              {failure}
              {secondsLeft > 0 && ` You can try again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`}
            </Alert>
          )}
          <Button type="submit" loading={form.submitting} disabled={secondsLeft > 0}>
            {secondsLeft > 0 ? `Wait ${secondsLeft} s` : 'Unlock'}
          </Button>
          <Button variant="subtle" onClick={() => setRestoring(true)}>Restore from a backup…</Button>
        </Stack>
      </form>
    </CentredCard>
  );
}
