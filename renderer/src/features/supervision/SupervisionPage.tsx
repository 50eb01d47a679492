import { Alert, Badge, Button, Checkbox, Group, List, Paper, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ReviewCase, SuperviseeReview, WeeklyLists } from '../../../../shared/contract/supervision';
import { formatUkDate, parseUkDate, todayIso } from '../../../../shared/domain/dates';
import { FLAG_LABELS } from '../../../../shared/domain/supervisionFlags';
import { api } from '../../lib/api';
import { errorMessage, showSaveError } from '../../lib/errors';
import { useOutcomes } from '../../lib/useOutcomes';
import { TrajectoryChart } from './TrajectoryChart';

interface CaseEntry {
  discussed: boolean;
  discussion: string;
  decision: string;
  action: string;
  due: string;
}
const blank: CaseEntry = { discussed: false, discussion: '', decision: '', action: '', due: '' };

/**
 * The supervision workspace (issue #11 §1), on the supervisor's device and offline: each supervisee's flagged
 * cases by priority with their reasons and trajectories, or several supervisees in one agenda (group mode); the
 * record of what was discussed, decided and who does what by when; the week's lists from seed 000.
 */
export function SupervisionPage() {
  const outcomes = useOutcomes();
  const [people, setPeople] = useState<SuperviseeReview[] | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [tab, setTab] = useState<'review' | 'week'>('review');
  const [entries, setEntries] = useState<Record<string, CaseEntry>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [week, setWeek] = useState<WeeklyLists | null>(null);

  const load = useCallback(async () => {
    try {
      const review = await api['supervision.review']({});
      setPeople(review.supervisees);
      setChosen((c) => (c.length ? c : review.supervisees.slice(0, 1).map((s) => s.id)));
    } catch (err) {
      setBanner(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (tab !== 'week' || chosen.length === 0) return;
    api['supervision.weeklyLists']({ weekEnding: todayIso(), superviseeIds: chosen }).then(setWeek, (err: unknown) => setBanner(errorMessage(err)));
  }, [tab, chosen]);

  if (!people) return banner ? <Alert color="red" role="alert">{banner}</Alert> : <Text>Loading…</Text>;
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const group = chosen.length > 1;
  // Group mode: one agenda across the chosen supervisees, highest priority first.
  const agenda: ReviewCase[] = people.filter((p) => chosen.includes(p.id)).flatMap((p) => p.cases).sort((a, b) => b.priority - a.priority);
  const entry = (id: string) => entries[id] ?? blank;
  const edit = (id: string, patch: Partial<CaseEntry>) => {
    setEntries((e) => ({ ...e, [id]: { ...(e[id] ?? blank), ...patch } }));
    // An edited case's old refusals no longer describe it.
    setErrors((all) => Object.fromEntries(Object.entries(all).filter(([path]) => !path.startsWith(`${id}.`))));
  };

  const record = async () => {
    setSaved(null);
    setBanner(null);
    const discussed = agenda.filter((c) => entry(c.referralId).discussed);
    if (discussed.length === 0) return setBanner('Tick at least one case as discussed before recording the supervision.');
    try {
      const result = await api['supervision.record']({
        heldOn: todayIso(),
        mode: group ? 'group' : 'individual',
        superviseeIds: chosen,
        cases: discussed.map((c) => {
          const e = entry(c.referralId);
          const due = parseUkDate(e.due) ?? e.due;
          return { referralId: c.referralId, discussion: e.discussion, decision: e.decision, actions: e.action.trim() ? [{ description: e.action, ownerId: c.caseholderId, dueDate: due }] : [] };
        }),
      });
      setErrors({});
      setEntries({});
      setSaved(`Supervision recorded: ${result.cases.length} case${result.cases.length === 1 ? '' : 's'}${result.synced ? ', sent to the team server' : '; offline, it will sync when the server can be reached'}.`);
    } catch (err) {
      // Field paths are cases.N...: map them back to the referral on screen.
      showSaveError(err, (fields) => setErrors(Object.fromEntries(Object.entries(fields).map(([path, m]) => {
        const [, n, ...rest] = path.split('.');
        const id = discussed[Number(n)]?.referralId ?? '';
        return [`${id}.${rest.join('.')}`, m];
      }))), setBanner);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Supervision</Title>
        <SegmentedControl value={tab} onChange={(v) => setTab(v as 'review' | 'week')} data={[{ value: 'review', label: 'Caseload review' }, { value: 'week', label: 'This week’s lists' }]} aria-label="Supervision view" />
      </Group>
      <Checkbox.Group label="Supervisees (choose several for group supervision)" value={chosen} onChange={setChosen}>
        <Group mt={4}>
          {people.map((p) => <Checkbox key={p.id} value={p.id} label={`${p.name} (${p.cases.length} flagged of ${p.openCases} open)`} />)}
        </Group>
      </Checkbox.Group>
      {people.length === 0 && <Text>No supervisees are named for you in the team directory.</Text>}
      {banner && <Alert color="red" role="alert">{banner}</Alert>}
      {saved && <Alert color="teal" role="status">{saved}</Alert>}
      {tab === 'week' ? (
        <WeekLists week={week} nameOf={nameOf} />
      ) : (
        <>
          <Text size="sm" c="gray.8">{group ? 'Group supervision agenda' : 'Flagged cases'}, highest priority first: {agenda.length}.</Text>
          {agenda.map((c) => {
            const e = entry(c.referralId);
            const err = (field: string) => errors[`${c.referralId}.${field}`];
            return (
              <Paper key={c.referralId} withBorder p="sm" component="section" aria-label={`Case: ${c.patientName}`}>
                <Group justify="space-between" align="flex-start" wrap="nowrap">
                  <Stack gap={4} style={{ flex: 1 }}>
                    <Group gap="xs">
                      <Text fw={700}>{c.patientName}</Text>
                      {group && <Text size="sm" c="gray.8">· {nameOf.get(c.caseholderId)}</Text>}
                      <Text size="sm" c="gray.8">· referred {formatUkDate(c.receivedDate)} · {c.treatmentContacts} treatment session{c.treatmentContacts === 1 ? '' : 's'}</Text>
                    </Group>
                    <List size="sm" spacing={2}>
                      {c.flags.map((f) => (
                        <List.Item key={f.kind}>
                          <Badge size="sm" variant="light" color={f.kind === 'risk' ? 'red' : 'nhsBlue'} c={f.kind === 'risk' ? 'red.9' : 'nhsBlue.9'} mr={6}>{FLAG_LABELS[f.kind]}</Badge>
                          {f.reason}
                        </List.Item>
                      ))}
                    </List>
                  </Stack>
                  <Group gap={6} wrap="nowrap" w={420}>
                    <TrajectoryChart outcomes={outcomes} trajectory={c.phq9} />
                    <TrajectoryChart outcomes={outcomes} trajectory={c.anxiety} />
                  </Group>
                </Group>
                <Checkbox mt="xs" label="Discussed in this supervision" checked={e.discussed} onChange={(ev) => edit(c.referralId, { discussed: ev.currentTarget.checked })} />
                {e.discussed && (
                  <Stack gap={6} mt={6}>
                    <Textarea label="Discussion" autosize minRows={1} value={e.discussion} onChange={(ev) => edit(c.referralId, { discussion: ev.currentTarget.value })} error={err('discussion')} />
                    <TextInput label="Decision" required value={e.decision} onChange={(ev) => edit(c.referralId, { decision: ev.currentTarget.value })} error={err('decision')} />
                    <Group grow align="flex-start">
                      <TextInput label={`Action for ${nameOf.get(c.caseholderId) ?? 'the clinician'}`} value={e.action} onChange={(ev) => edit(c.referralId, { action: ev.currentTarget.value })} error={err('actions.0.description')} />
                      <TextInput label="Due date (DD/MM/YYYY)" value={e.due} onChange={(ev) => edit(c.referralId, { due: ev.currentTarget.value })} error={err('actions.0.dueDate')} />
                    </Group>
                  </Stack>
                )}
              </Paper>
            );
          })}
          {agenda.length > 0 && (
            <Group>
              <Button onClick={() => void record()}>Record supervision</Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}

function WeekLists({ week, nameOf }: { week: WeeklyLists | null; nameOf: Map<string, string> }) {
  if (!week) return <Text>Loading…</Text>;
  const table = (title: string, rows: WeeklyLists['missingMeasures'], dateLabel: string) => (
    <Stack gap={4}>
      <Title order={2} size="h4">{title} ({rows.length})</Title>
      {rows.length === 0 ? (
        <Text size="sm">None this week.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr><Table.Th>Patient</Table.Th><Table.Th>Clinician</Table.Th><Table.Th>{dateLabel}</Table.Th><Table.Th>Why</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={`${r.referralId}-${r.date}`}><Table.Td>{r.patientName}</Table.Td><Table.Td>{nameOf.get(r.caseholderId) ?? ''}</Table.Td><Table.Td>{formatUkDate(r.date)}</Table.Td><Table.Td>{r.reason}</Table.Td></Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
  return (
    <Stack>
      <Text size="sm" c="gray.8">Week {formatUkDate(week.weekStart)} to {formatUkDate(week.weekEnding)} (seed 000: weekly reports used in supervision).</Text>
      {table('Discharged, not recovered', week.dischargedNotRecovered, 'Discharged')}
      {table('Missing measures', week.missingMeasures, 'Contact')}
    </Stack>
  );
}
