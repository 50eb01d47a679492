import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { serviceSettingsMethods, type OutcomeSettings, type ServiceSettings } from '../../../../shared/contract/serviceSettings';
import { REFERRER_ROLE_LABELS, REFERRER_ROLES, SOURCE_CODE_LIST, SOURCE_CODES } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors, sentence } from '../../lib/errors';
import { settingsChanged, useOutcomes } from '../../lib/useOutcomes';

const LOCAL_SCREENS = [
  { id: 'copd-screen', label: 'COPD two-item screen: positive at a total of' },
  { id: 'cardiac-screen', label: 'Cardiac two-item screen: positive at a total of' },
] as const;

/**
 * Service settings (issue #8 item 10): the `createOutcomes` overrides for values the reference marks unverified,
 * and the referrer → source-code table. Without a cut-off the local COPD and cardiac screens give no result.
 */
export function ServiceSettingsPage() {
  const outcomes = useOutcomes();
  const [settings, setSettings] = useState<ServiceSettings | null>(null);
  const [draft, setDraft] = useState<{ outcomes: OutcomeSettings; sourceCodes: Record<string, string> } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void api['serviceSettings.get']({}).then(
      (s) => {
        setSettings(s);
        setDraft({ outcomes: s.outcomes, sourceCodes: s.sourceCodes });
      },
      (err) => setMessage({ ok: false, text: errorMessage(err) }),
    );
  }, []);
  if (!settings || !draft) return message ? <Alert color="red" role="alert">{message.text}</Alert> : <Text>Loading…</Text>;

  // Inline, from the contract's own schema (full paths, as the service names them).
  const parsed = serviceSettingsMethods['serviceSettings.update'].input.safeParse({ version: settings.version, outcomes: draft.outcomes, sourceCodes: draft.sourceCodes });
  const inline: Record<string, string> = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join('.'), sentence(i.message)]));
  const shown = { ...inline, ...errors };
  const screenCut = (id: string) => draft.outcomes.instruments[id]?.screenThreshold;
  const setScreenCut = (id: string, value: number | string) => {
    const instruments = { ...draft.outcomes.instruments };
    const rest = { ...instruments[id] };
    delete rest.screenThreshold;
    if (typeof value === 'number') instruments[id] = { ...rest, screenThreshold: value };
    else if (Object.keys(rest).length) instruments[id] = rest;
    else delete instruments[id];
    setDraft({ ...draft, outcomes: { ...draft.outcomes, instruments } });
  };
  const save = async () => {
    setErrors({});
    setMessage(null);
    try {
      const saved = await api['serviceSettings.update']({ version: settings.version, outcomes: draft.outcomes, sourceCodes: draft.sourceCodes as never });
      setSettings(saved);
      settingsChanged();
      setMessage({ ok: true, text: 'Service settings saved. Scores and outcomes use them from now on.' });
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const scale = (id: string) => outcomes.instrument(id).responseOptions.map((o) => `${o.value} ${o.label}`).join(', ');

  return (
    <Stack>
      <Title order={1} size="h2">Service settings</Title>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>Local screens</Title>
        <Text size="sm" mb="sm" c="gray.8">No published scale or cut-off exists for the Talking Health COPD and cardiac screens; they give a “positive screen”, never caseness, and no result at all until the service sets a cut-off here.</Text>
        <SimpleGrid cols={2}>
          {LOCAL_SCREENS.map((s) => (
            <NumberInput
              key={s.id}
              label={s.label}
              description={`Each item: ${scale(s.id)}`}
              placeholder="Not set: no result"
              min={0}
              value={screenCut(s.id) ?? ''}
              onChange={(v) => setScreenCut(s.id, v)}
              error={shown[`outcomes.instruments.${s.id}.screenThreshold`]}
            />
          ))}
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="sm">Measures and rules</Title>
        <SimpleGrid cols={2}>
          <Select
            label="DDS2 rule"
            data={[
              { value: 'fisher-2008-mean-3', label: 'Mean ≥ 3 (Fisher 2008, original)' },
              { value: 'dds-guidance-mean-2', label: 'Mean ≥ 2.0 (newer DDS guidance)' },
            ]}
            value={draft.outcomes.dds2Rule}
            onChange={(v) => v && setDraft({ ...draft, outcomes: { ...draft.outcomes, dds2Rule: v as OutcomeSettings['dds2Rule'] } })}
            allowDeselect={false}
          />
          <Select
            label="PTSD measure"
            data={[
              { value: 'pcl5', label: 'PCL-5 (current manual)' },
              { value: 'ies-r', label: 'IES-R (legacy)' },
            ]}
            value={draft.outcomes.ptsdMeasure}
            onChange={(v) => v && setDraft({ ...draft, outcomes: { ...draft.outcomes, ptsdMeasure: v as OutcomeSettings['ptsdMeasure'] } })}
            allowDeselect={false}
          />
          <Select
            label="OCD measure"
            data={[
              { value: 'oci', label: 'OCI (NHS Digital guide)' },
              { value: 'oci-r', label: 'OCI-R (service alternative)' },
            ]}
            value={draft.outcomes.ocdMeasure}
            onChange={(v) => v && setDraft({ ...draft, outcomes: { ...draft.outcomes, ocdMeasure: v as OutcomeSettings['ocdMeasure'] } })}
            allowDeselect={false}
          />
          <NumberInput
            label="Healthcare use recall period (months)"
            min={1}
            max={24}
            value={Number.isNaN(draft.outcomes.serviceUseRecallMonths) ? '' : draft.outcomes.serviceUseRecallMonths}
            onChange={(v) => setDraft({ ...draft, outcomes: { ...draft.outcomes, serviceUseRecallMonths: typeof v === 'number' ? v : Number.NaN } })}
            error={shown['outcomes.serviceUseRecallMonths']}
          />
        </SimpleGrid>
      </Paper>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>Referrer → source of referral code</Title>
        <Text size="sm" mb="sm" c="gray.8">Each referral records the data-set source code (SourceOfReferralIAPT) of the referrer type chosen.</Text>
        <SimpleGrid cols={3}>
          {REFERRER_ROLES.map((role) => (
            <Select
              key={role}
              label={REFERRER_ROLE_LABELS[role]}
              data={SOURCE_CODE_LIST.map((c) => ({ value: c, label: `${c} ${SOURCE_CODES[c]}` }))}
              value={draft.sourceCodes[role] ?? null}
              onChange={(v) => v && setDraft({ ...draft, sourceCodes: { ...draft.sourceCodes, [role]: v } })}
              searchable
              allowDeselect={false}
            />
          ))}
        </SimpleGrid>
      </Paper>
      {message && (
        <Alert color={message.ok ? 'teal' : 'red'} role={message.ok ? 'status' : 'alert'}>
          <Text size="sm" c="dark.9">{message.text}</Text>
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={() => void save()} disabled={!parsed.success}>Save service settings</Button>
      </Group>
    </Stack>
  );
}
