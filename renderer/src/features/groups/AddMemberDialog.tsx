import { Alert, Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect, useState } from 'react';
import type { CaseloadRow } from '../../../../shared/contract/caseload';
import { AddMemberInput, type GroupView } from '../../../../shared/contract/groups';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { Dialog } from '../../lib/Dialog';
import { errorMessage } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { useSaveForm } from '../../lib/useSaveForm';

interface Values {
  referralId: string | null;
  joinedOn: string;
}

/** Adds a patient from the caseload (their open referral) to the course. */
export function AddMemberDialog({ view, onClose, onSaved }: { view: GroupView; onClose: () => void; onSaved: (g: GroupView) => void }) {
  const [rows, setRows] = useState<CaseloadRow[] | null>(null);
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  useEffect(() => {
    api['caseload.list']({})
      .then((r) => setRows(r.rows))
      .catch((err: unknown) => setLoadFailure(errorMessage(err)));
  }, []);
  const toInput = (v: Values) => ({ groupId: view.group.id, referralId: v.referralId ?? '', joinedOn: isoFromTyped(v.joinedOn) });
  const form = useForm<Values>({
    initialValues: { referralId: null, joinedOn: formatUkDate(todayIso() < view.group.startsOn ? view.group.startsOn : todayIso()) },
    validate: (v) => ({ ...schemaErrors(AddMemberInput, toInput(v), { joinedOn: v.joinedOn }), ...(v.referralId ? {} : { referralId: 'Choose a patient' }) }),
    validateInputOnBlur: true,
  });
  const { failure, close, submit } = useSaveForm(form, (v: Values) => api['groups.addMember'](toInput(v)), onSaved, onClose);
  const inGroup = new Set(view.members.map((m) => m.referralId));
  const options = (rows ?? [])
    .filter((r) => r.episode !== null && r.episode.status !== 'discharged' && !inGroup.has(r.episode.referralId))
    .map((r) => ({ value: r.episode!.referralId, label: `${r.familyName.toUpperCase()}, ${r.givenName} · NHS ${r.nhsNumber}` }));
  return (
    <Dialog opened onClose={close} title={`Add a member to ${view.group.title}`}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Select
            label="Patient"
            description="From your caseload: their open referral"
            placeholder={rows === null ? 'Loading…' : 'Type a name or NHS number'}
            searchable
            data={options}
            nothingFoundMessage="No open referral on your caseload matches"
            data-autofocus
            {...form.getInputProps('referralId')}
          />
          <TextInput label="Joined on" description="DD/MM/YYYY" autoComplete="off" {...form.getInputProps('joinedOn')} />
          {(failure ?? loadFailure) && <Alert color="red" role="alert">{failure ?? loadFailure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Add member</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
