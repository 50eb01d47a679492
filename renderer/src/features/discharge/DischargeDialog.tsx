import { Alert, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { DischargeInput, type Classification, type Referral } from '../../../../shared/contract/referrals';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { END_CODE_GROUP_LABELS, END_CODES } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { isoFromTyped, schemaErrors, ukDatesIn } from '../../lib/forms';
import { Dialog } from '../../lib/Dialog';
import { outcomeWords } from '../patient/outcomeWords';

const END_CODE_OPTIONS = Object.entries(END_CODE_GROUP_LABELS).map(([group, label]) => ({
  group: label,
  items: END_CODES.filter((c) => c.group === group).map((c) => ({ value: c.code, label: `${c.code} ${c.label}` })),
}));

/**
 * Discharge (issue #8 item 8): end code and date; the outcome `classifyEpisode` gives for exactly this discharge
 * is shown before the clinician confirms.
 */
export function DischargeDialog({
  referral,
  opened,
  onClose,
  onDischarged,
  initialEndCode = null,
}: {
  referral: Referral;
  opened: boolean;
  onClose: () => void;
  onDischarged: (r: Referral) => void;
  initialEndCode?: string | null;
}) {
  const [endCode, setEndCode] = useState<string | null>(initialEndCode);
  const [signposting, setSignposting] = useState('');
  const [date, setDate] = useState(formatUkDate(todayIso()));
  const [preview, setPreview] = useState<Classification | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = { id: referral.id, version: referral.version, endCode: endCode ?? '', dischargeDate: isoFromTyped(date), ...(signposting.trim() ? { signposting } : {}) };

  useEffect(() => {
    setPreview(null);
    setFailure(null);
    const problems = schemaErrors(DischargeInput, input, { dischargeDate: date });
    setErrors(endCode ? problems : { ...problems, endCode: '' });
    if (Object.keys(problems).length > 0 || !opened) return;
    let live = true;
    api['referrals.previewDischarge']({ id: referral.id, endCode: input.endCode as never, dischargeDate: input.dischargeDate }).then(
      (c) => live && setPreview(c),
      (err) => {
        if (!live) return;
        showSaveError(err, setErrors, setFailure);
      },
    );
    return () => {
      live = false;
    };
    // The preview follows the end code and date the clinician has chosen.
  }, [endCode, date, signposting, opened]);

  const confirm = async () => {
    setSaving(true);
    try {
      onDischarged(await api['referrals.discharge']({ ...input, endCode: input.endCode as never }));
    } catch (err) {
      showSaveError(err, setErrors, setFailure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog opened={opened} onClose={onClose} title="Discharge" size="lg">
      <Stack gap="sm">
        <SimpleGrid cols={2}>
          <Select label="End code" placeholder="Choose" data={END_CODE_OPTIONS} value={endCode} onChange={setEndCode} error={errors.endCode || undefined} searchable data-autofocus />
          <TextInput label="Discharge date" description="DD/MM/YYYY" autoComplete="off" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.dischargeDate} />
        </SimpleGrid>
        {(endCode === '10' || endCode === '11' || endCode === '13') && (
          <TextInput
            label="Signposted or referred to"
            description={endCode === '11' ? 'Required with end code 11' : 'Optional'}
            value={signposting}
            onChange={(e) => setSignposting(e.currentTarget.value)}
            error={errors.signposting}
          />
        )}
        {preview && (
          <Alert color="nhsBlue" title={<Text fw={700} c="nhsBlue.9">Outcome at this discharge</Text>} data-testid="discharge-preview">
            <Text size="sm">{outcomeWords(preview, true).map((w) => w.text).join(' · ')}.</Text>
            <Text size="xs" mt={4} c="gray.8">{ukDatesIn(preview.reasons.recovered ?? '')}</Text>
          </Alert>
        )}
        {referral.pathway === 'integrated-ltc' && (
          <Text size="sm" c="gray.8">
            Integrated LTC pathway: after discharge, book the 3-month follow-up for HbA1c and healthcare use from the episode screen.
          </Text>
        )}
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancel</Button>
          <Button color="red.9" disabled={!preview} loading={saving} onClick={() => void confirm()}>
            Confirm discharge
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
