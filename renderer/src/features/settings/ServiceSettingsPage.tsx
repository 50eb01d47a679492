import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { serviceSettingsMethods, type OutcomeSettings, type ServiceSettings } from '../../../../shared/contract/serviceSettings';
import { LTC_OPTIONS, REFERRER_ROLE_LABELS, REFERRER_ROLES, SOURCE_CODE_LIST, SOURCE_CODES } from '../../../../shared/domain/episodeCodes';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors, sentence } from '../../lib/errors';
import { settingsChanged, useOutcomes } from '../../lib/useOutcomes';
import { defaultOutcomes } from '../../../../shared/outcomes';

const LOCAL_SCREENS = [
  { id: 'copd-screen', label: 'COPD two-item screen: positive at a total of', scaleLabel: 'COPD screen answers' },
  { id: 'cardiac-screen', label: 'Cardiac two-item screen: positive at a total of', scaleLabel: 'Cardiac screen answers' },
] as const;
type Override = OutcomeSettings['instruments'][string];

/** Answers typed one per line become the scale, scored 0, 1, 2 … in order; blank lines are ignored. */
function scaleFromText(text: string): Override['responseOptions'] {
  const labels = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return labels.length ? labels.map((label, value) => ({ value, label })) : undefined;
}
const textFromScale = (options: Override['responseOptions']) => (options ?? []).map((o) => o.label).join('\n');

/**
 * Service settings (issue #8 item 10): the `createOutcomes` overrides for values the reference marks unverified,
 * and the referrer → source-code table. Without a cut-off the local COPD and cardiac screens give no result.
 */
export function ServiceSettingsPage() {
  const outcomes = useOutcomes();
  const [settings, setSettings] = useState<ServiceSettings | null>(null);
  const [draft, setDraft] = useState<{ outcomes: OutcomeSettings; sourceCodes: Record<string, string>; ltcCodes: Record<string, string> } | null>(null);
  // The scales as typed (blank lines and all), so editing a line does not reflow the box.
  const [scaleText, setScaleText] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    void api['serviceSettings.get']({}).then(
      (s) => {
        setSettings(s);
        setDraft({ outcomes: s.outcomes, sourceCodes: s.sourceCodes, ltcCodes: s.ltcCodes });
        setScaleText(Object.fromEntries(LOCAL_SCREENS.map((l) => [l.id, textFromScale(s.outcomes.instruments[l.id]?.responseOptions)])));
      },
      (err) => setMessage({ ok: false, text: errorMessage(err) }),
    );
  }, []);
  if (!settings || !draft) return message ? <Alert color="red" role="alert">{message.text}</Alert> : <Text>Loading…</Text>;

  // Inline, from the contract's own schema (full paths, as the service names them).
  const parsed = serviceSettingsMethods['serviceSettings.update'].input.safeParse({ version: settings.version, outcomes: draft.outcomes, sourceCodes: draft.sourceCodes, ltcCodes: draft.ltcCodes });
  const inline: Record<string, string> = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [i.path.map(String).join('.'), sentence(i.message)]));
  const shown = { ...inline, ...errors };
  const screenCut = (id: string) => draft.outcomes.instruments[id]?.screenThreshold;
  /** Sets or clears one override of an instrument, dropping the instrument when nothing is left overridden. */
  const setOverride = <K extends keyof Override>(id: string, key: K, value: Override[K] | undefined) => {
    const instruments = { ...draft.outcomes.instruments };
    const rest: Override = { ...instruments[id] };
    delete rest[key];
    if (value !== undefined) instruments[id] = { ...rest, [key]: value };
    else if (Object.keys(rest).length) instruments[id] = rest;
    else delete instruments[id];
    setDraft({ ...draft, outcomes: { ...draft.outcomes, instruments } });
  };
  const setScreenCut = (id: string, value: number | string) => setOverride(id, 'screenThreshold', typeof value === 'number' ? value : undefined);
  const setScale = (id: string, text: string) => {
    setScaleText({ ...scaleText, [id]: text });
    setOverride(id, 'responseOptions', scaleFromText(text));
  };
  /** The scale's errors, from the contract's paths: the list as a whole, or the line at fault. */
  const scaleError = (id: string) => {
    const prefix = `outcomes.instruments.${id}.responseOptions`;
    const found = Object.entries(shown).find(([path]) => path === prefix || path.startsWith(`${prefix}.`));
    if (!found) return undefined;
    const line = /^\.(\d+)/.exec(found[0].slice(prefix.length));
    return line ? `Answer ${Number(line[1]) + 1}: ${found[1].charAt(0).toLowerCase()}${found[1].slice(1)}` : found[1];
  };
  const setLtcCode = (key: string, code: string) => {
    const ltcCodes = { ...draft.ltcCodes };
    // Empty keeps the default code.
    if (code.trim()) ltcCodes[key] = code;
    else delete ltcCodes[key];
    setDraft({ ...draft, ltcCodes });
  };
  const save = async () => {
    setErrors({});
    setMessage(null);
    try {
      const saved = await api['serviceSettings.update']({ version: settings.version, outcomes: draft.outcomes, sourceCodes: draft.sourceCodes as never, ltcCodes: draft.ltcCodes });
      setSettings(saved);
      settingsChanged();
      setMessage({ ok: true, text: 'Service settings saved. Scores and outcomes use them from now on.' });
    } catch (err) {
      setErrors(fieldErrors(err));
      setMessage({ ok: false, text: errorMessage(err) });
    }
  };
  const describe = (options: readonly { value: number; label: string }[]) => options.map((o) => `${o.value} ${o.label}`).join(', ');
  /** The scale as it will be saved: the draft's when typed, else the one in use. */
  const scale = (id: string) => describe(draft.outcomes.instruments[id]?.responseOptions ?? outcomes.instrument(id).responseOptions);
  /** What an item is scored when the service sets no scale of its own. */
  const builtInScale = (id: string) => describe(defaultOutcomes.instrument(id).responseOptions);

  return (
    <Stack>
      <Title order={1} size="h2">Service settings</Title>
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>Local screens</Title>
        <Text size="sm" mb="sm" c="gray.8">No published scale or cut-off exists for the Talking Health COPD and cardiac screens; they give a “positive screen”, never caseness, and no result at all until the service sets a cut-off here.</Text>
        <SimpleGrid cols={2}>
          {LOCAL_SCREENS.map((s) => (
            <Stack key={s.id} gap="xs">
              <NumberInput
                label={s.label}
                description={`Each item: ${scale(s.id)}`}
                placeholder="Not set: no result"
                min={0}
                value={screenCut(s.id) ?? ''}
                onChange={(v) => setScreenCut(s.id, v)}
                error={shown[`outcomes.instruments.${s.id}.screenThreshold`]}
              />
              <Textarea
                label={s.scaleLabel}
                description={`One per line, scored 0, 1, 2 … in order (2 to 11 answers). Left empty, each item is answered ${builtInScale(s.id)}.`}
                autosize
                minRows={3}
                maxRows={11}
                value={scaleText[s.id] ?? ''}
                onChange={(e) => setScale(s.id, e.currentTarget.value)}
                error={scaleError(s.id)}
              />
            </Stack>
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
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb={4}>Long-term condition codes (SNOMED CT)</Title>
        <Text size="sm" mb="sm" c="gray.8">
          The diabetes codes are the reference’s and fixed. The reference codes no other condition, so this app’s codes for them are unverified: enter your service’s code to replace one, or leave it empty to keep the default. Referrals already recorded keep the code they were saved with.
        </Text>
        <SimpleGrid cols={3}>
          {LTC_OPTIONS.map((o) =>
            o.verified ? (
              <TextInput key={o.key} label={o.label} description="Reference code (fixed)" value={o.code} readOnly variant="filled" />
            ) : (
              <TextInput
                key={o.key}
                label={o.label}
                description={`Default ${o.code} (unverified)`}
                placeholder={o.code}
                inputMode="numeric"
                autoComplete="off"
                value={draft.ltcCodes[o.key] ?? ''}
                onChange={(e) => setLtcCode(o.key, e.currentTarget.value)}
                error={shown[`ltcCodes.${o.key}`]}
              />
            ),
          )}
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
