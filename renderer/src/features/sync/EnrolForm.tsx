import { Alert, Button, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { syncMethods, type SyncStatus } from '../../../../shared/contract/sync';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { schemaErrors } from '../../lib/forms';

/**
 * Enrolment (issue #9 §3): the server address and the one-time code the team admin printed. Checked inline
 * against the contract's own schema; the service's refusals land on the field they name.
 */
export function EnrolForm({ onEnrolled }: { onEnrolled: (s: SyncStatus) => void }) {
  const [values, setValues] = useState({ serverUrl: '', code: '' });
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inline = schemaErrors(syncMethods['sync.enrol'].input, values);
  const errorOf = (field: 'serverUrl' | 'code') => serverErrors[field] ?? (touched[field] ? inline[field] : undefined);
  const set = (field: 'serverUrl' | 'code', value: string) => {
    setValues({ ...values, [field]: value });
    // A refusal from the service stands until the field it names is edited.
    setServerErrors(Object.fromEntries(Object.entries(serverErrors).filter(([key]) => key !== field)));
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setTouched({ serverUrl: true, code: true });
    setBanner(null);
    if (Object.keys(inline).length > 0) return;
    setBusy(true);
    try {
      onEnrolled(await api['sync.enrol'](values));
    } catch (err) {
      showSaveError(err, setServerErrors, setBanner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="lg" maw={560}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3">
            Enrol this device with your team
          </Title>
          <Text size="sm" c="gray.8">
            Your team admin gives you the server address and a 12-character code for this laptop. Everything you
            recorded here before enrolling is sent to the team's record once enrolment succeeds.
          </Text>
          <TextInput
            label="Team server address"
            placeholder="https://sync.example.nhs.uk"
            autoComplete="url"
            value={values.serverUrl}
            onChange={(e) => set('serverUrl', e.currentTarget.value)}
            onBlur={() => setTouched({ ...touched, serverUrl: true })}
            error={errorOf('serverUrl')}
            data-autofocus
          />
          <TextInput
            label="Enrolment code"
            description="12 characters, as printed by your team admin"
            autoComplete="off"
            spellCheck={false}
            value={values.code}
            onChange={(e) => set('code', e.currentTarget.value)}
            onBlur={() => setTouched({ ...touched, code: true })}
            error={errorOf('code')}
            styles={{ input: { fontFamily: 'monospace', letterSpacing: '0.1em' } }}
          />
          {banner && (
            <Alert color="red" role="alert">
              {banner}
            </Alert>
          )}
          <Button type="submit" loading={busy} style={{ alignSelf: 'flex-start' }}>
            Enrol this device
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
