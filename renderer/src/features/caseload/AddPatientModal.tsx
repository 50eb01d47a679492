import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { Dialog } from '../../lib/Dialog';
import { useSaveForm } from '../../lib/useSaveForm';
import { useForm } from '@mantine/form';
import { parseUkDate } from '../../../../shared/domain/dates';
import { PatientInput, type Patient } from '../../../../shared/domain/people';
import { api } from '../../lib/api';
import { sentence } from '../../lib/errors';

const EMPTY = { nhsNumber: '', givenName: '', familyName: '', dateOfBirth: '', gpPractice: '' };
type Values = typeof EMPTY;

/** The form's values as the contract wants them; the date is typed en-GB and sent as ISO. */
function toInput(v: Values) {
  return { ...v, dateOfBirth: parseUkDate(v.dateOfBirth) ?? v.dateOfBirth };
}

/** Inline validation runs the contract's own schema, so the form and the service cannot disagree. */
function validate(values: Values): Record<string, string> {
  const errors: Record<string, string> = {};
  if (values.dateOfBirth.trim() && !parseUkDate(values.dateOfBirth)) errors.dateOfBirth = 'Enter a real date as DD/MM/YYYY';
  const parsed = PatientInput.safeParse(toInput(values));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      errors[key] ??= sentence(issue.message);
    }
  }
  return errors;
}

export function AddPatientModal({ opened, onClose, onAdded }: { opened: boolean; onClose: () => void; onAdded: (p: Patient) => void }) {
  const form = useForm<Values>({ initialValues: EMPTY, validate, validateInputOnBlur: true });

  const { failure, close, submit } = useSaveForm(form, (values: Values) => api['patients.create'](toInput(values)), onAdded, onClose);

  return (
    <Dialog opened={opened} onClose={close} title="Add patient">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label="NHS number" description="10 digits, spaces allowed" inputMode="numeric" autoComplete="off" data-autofocus {...form.getInputProps('nhsNumber')} />
          <Group grow align="flex-start">
            <TextInput label="Given name" autoComplete="off" {...form.getInputProps('givenName')} />
            <TextInput label="Family name" autoComplete="off" {...form.getInputProps('familyName')} />
          </Group>
          <TextInput label="Date of birth" description="DD/MM/YYYY" placeholder="DD/MM/YYYY" autoComplete="off" {...form.getInputProps('dateOfBirth')} />
          <TextInput label="GP practice" autoComplete="off" {...form.getInputProps('gpPractice')} />
          {failure && <Alert color="red" role="alert">{failure}</Alert>}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={form.submitting}>Add to caseload</Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
