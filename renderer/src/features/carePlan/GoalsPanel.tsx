import { Alert, Button, Group, NumberInput, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { GoalInput, GoalRatingsInput, type CarePlanView } from '../../../../shared/contract/carePlan';
import type { Contact } from '../../../../shared/contract/contacts';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { GOAL_RATING_MAX, GOAL_RATING_MIN } from '../../../../shared/domain/stepChange';
import { api } from '../../lib/api';
import { showSaveError } from '../../lib/errors';
import { isoFromTyped, schemaErrors } from '../../lib/forms';
import { GoalChart } from './GoalChart';

/** Goals in the patient's words, rated 0–10 at sessions and charted (issue #10 item 2). */
export function GoalsPanel({ view, contacts, sessionDate, onSaved }: { view: CarePlanView; contacts: Contact[]; sessionDate?: string | undefined; onSaved: (v: CarePlanView) => void }) {
  const closed = view.referral.status === 'discharged';
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="sm">Goals</Title>
      <Stack gap="md">
        <GoalChart goals={view.goals} />
        {!closed && <AddGoal referralId={view.referral.id} onSaved={onSaved} />}
        {!closed && view.goals.length > 0 && <RateGoals view={view} contacts={contacts} sessionDate={sessionDate} onSaved={onSaved} />}
      </Stack>
    </Paper>
  );
}

function AddGoal({ referralId, onSaved }: { referralId: string; onSaved: (v: CarePlanView) => void }) {
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const add = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const input = { referralId, description };
    const problems = schemaErrors(GoalInput, input);
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      onSaved(await api['carePlan.addGoal'](input));
      setDescription('');
    } catch (err) {
      showSaveError(err, setErrors, setFailure);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form onSubmit={(e) => void add(e)} noValidate>
      <Group align="flex-end" gap="sm">
        <TextInput
          style={{ flex: 1 }}
          label="New goal, in the patient's words"
          placeholder="For example: walk to the shops without stopping"
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
          error={errors.description}
        />
        <Button type="submit" variant="light" loading={saving}>Add goal</Button>
      </Group>
      {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
    </form>
  );
}

function RateGoals({ view, contacts, sessionDate, onSaved }: { view: CarePlanView; contacts: Contact[]; sessionDate?: string | undefined; onSaved: (v: CarePlanView) => void }) {
  const attended = contacts.filter((c) => c.attendance === 5 || c.attendance === 6);
  const lastSession = attended.at(-1)?.date;
  const [date, setDate] = useState(formatUkDate(sessionDate ?? lastSession ?? todayIso()));
  const [ratings, setRatings] = useState<Record<string, number | ''>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const iso = isoFromTyped(date);
  const session = attended.find((c) => c.date === iso);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setSaved(false);
    const rated = view.goals.filter((g) => ratings[g.id] !== undefined && ratings[g.id] !== '');
    const input = { referralId: view.referral.id, date: iso, ...(session ? { contactId: session.id } : {}), ratings: rated.map((g) => ({ goalId: g.id, rating: ratings[g.id] as number })) };
    const problems = schemaErrors(GoalRatingsInput, input, { date });
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setSaving(true);
    try {
      onSaved(await api['carePlan.rateGoals'](input));
      setRatings({});
      setSaved(true);
    } catch (err) {
      showSaveError(err, setErrors, setFailure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate aria-labelledby="rate-goals-title">
      <Title order={3} size="h5" id="rate-goals-title" mb={4}>Rate the goals at a session</Title>
      <Text size="sm" c="gray.8" mb="xs">
        0 = not at all, {GOAL_RATING_MAX} = fully achieved. {session ? `Recorded with the session on ${formatUkDate(session.date)}.` : 'No attended session on this date: recorded on the date alone.'}
      </Text>
      <SimpleGrid cols={4} spacing="sm">
        <TextInput label="Date" description="DD/MM/YYYY" autoComplete="off" value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.date} />
        {view.goals.map((g, i) => (
          <NumberInput
            key={g.id}
            label={`Goal ${i + 1}: ${g.description}`}
            description={`${GOAL_RATING_MIN}–${GOAL_RATING_MAX}`}
            min={GOAL_RATING_MIN}
            max={GOAL_RATING_MAX}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            value={ratings[g.id] ?? ''}
            onChange={(v) => setRatings((r) => ({ ...r, [g.id]: typeof v === 'number' ? v : '' }))}
            styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', display: 'block' } }}
          />
        ))}
      </SimpleGrid>
      {errors.ratings && <Text size="sm" c="red.8" mt={4} role="alert">{errors.ratings}</Text>}
      {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
      {saved && <Text size="sm" c="teal.9" role="status" mt="sm">Ratings saved.</Text>}
      <Group justify="flex-end" mt="sm">
        <Button type="submit" variant="light" loading={saving}>Save ratings</Button>
      </Group>
    </form>
  );
}
