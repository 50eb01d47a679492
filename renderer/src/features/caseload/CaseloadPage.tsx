import { Alert, Anchor, Badge, Button, Checkbox, Group, Paper, Select, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CaseloadRow } from '../../../../shared/contract/caseload';
import type { MethodInput } from '../../../../shared/contract/contract';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { PATHWAY_LABELS, PATHWAYS, REFERRAL_STATUS_LABELS, REFERRAL_STATUSES } from '../../../../shared/domain/episodeCodes';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { useNavigation } from '../../app/navigation';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { useOutcomes } from '../../lib/useOutcomes';
import { AddPatientModal } from './AddPatientModal';

type SortKey = 'name' | 'waiting' | 'next' | 'phq9';
/** A row's height before it is measured: a name with its date of birth beneath. */
const ROW_HEIGHT = 57;
type CaseloadInput = MethodInput<'caseload.list'>;

function age(dob: string, today: string): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
}

/** Lower is better on every measure shown, so a fall is an improvement. */
function Score({ score, title }: { score: NonNullable<CaseloadRow['episode']>['lastPhq9']; title: string }) {
  if (!score) return <Text size="sm" c="gray.8">—</Text>;
  const trend = score.previous === null ? '' : score.total < score.previous ? '↓' : score.total > score.previous ? '↑' : '→';
  const said = score.previous === null ? `${title} ${score.total}, first score` : `${title} ${score.total}, was ${score.previous}`;
  return (
    <Text size="sm" aria-label={said} title={said}>
      {score.total} {trend && <Text span c={trend === '↑' ? 'red.9' : trend === '↓' ? 'teal.9' : 'gray.8'} fw={700}>{trend}</Text>}
      {score.previous !== null && <Text span size="xs" c="gray.8"> (was {score.previous})</Text>}
    </Text>
  );
}

const SORTS: Record<SortKey, (a: CaseloadRow, b: CaseloadRow) => number> = {
  name: (a, b) => a.familyName.localeCompare(b.familyName) || a.givenName.localeCompare(b.givenName),
  waiting: (a, b) => (b.episode?.daysWaiting ?? -1) - (a.episode?.daysWaiting ?? -1),
  next: (a, b) => (a.episode?.nextAppointment ?? '9999').localeCompare(b.episode?.nextAppointment ?? '9999'),
  phq9: (a, b) => (b.episode?.lastPhq9?.total ?? -1) - (a.episode?.lastPhq9?.total ?? -1),
};

/** Kept while the app runs, so going to a patient and back keeps the list the clinician chose. */
let showDischarged = false;

/** The clinic day's caseload: one row per patient and their current episode, searchable, filterable, sortable. */
export function CaseloadPage() {
  const outcomes = useOutcomes();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 200);
  const [status, setStatus] = useState<string | null>(null);
  const [pathway, setPathway] = useState<string | null>(null);
  const [riskOnly, setRiskOnly] = useState(false);
  const [withDischarged, setWithDischargedState] = useState(showDischarged);
  const setWithDischarged = (on: boolean) => {
    showDischarged = on;
    setWithDischargedState(on);
  };
  const [sort, setSort] = useState<SortKey>('name');
  const [rows, setRows] = useState<CaseloadRow[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);
  const rowButtons = useRef(new Map<string, HTMLButtonElement>());
  const { go } = useNavigation();
  const today = todayIso();

  const load = useCallback(async () => {
    try {
      const input = {
        ...(debounced.trim() ? { query: debounced.trim() } : {}),
        ...(status ? { status: status as CaseloadInput['status'] } : {}),
        ...(pathway ? { pathway: pathway as CaseloadInput['pathway'] } : {}),
        ...(riskOnly ? { riskOnly } : {}),
        ...(withDischarged ? { discharged: true } : {}),
      };
      setRows((await api['caseload.list'](input)).rows);
      setFailure(null);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [debounced, status, pathway, riskOnly, withDischarged]);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (added && rows?.some((r) => r.patientId === added.id)) rowButtons.current.get(added.id)?.focus();
  }, [rows, added]);

  const anxietyTitle = (id: string) => outcomes.instrument(id).title.split(' (')[0]!;
  const shown = rows ? [...rows].sort(SORTS[sort]) : null;
  const filtered = Boolean(debounced.trim() || status || pathway || riskOnly);
  const listsDischarged = withDischarged || status === 'discharged';
  // Only the rows near the window are in the page, so 2,000 open as fast as 20; the overscan keeps the next rows
  // in the page as focus moves, so Tab and a screen reader still walk the whole list (aria-rowcount says its size).
  const body = useRef<HTMLTableSectionElement>(null);
  // Where the rows start on the page (below the filters and any message), which the window's scroll is measured from.
  const [bodyTop, setBodyTop] = useState(0);
  useLayoutEffect(() => {
    const top = body.current ? body.current.getBoundingClientRect().top + window.scrollY : 0;
    if (top !== bodyTop) setBodyTop(top);
  });
  const virtualizer = useWindowVirtualizer({
    count: shown?.length ?? 0,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: bodyTop,
  });
  const windowRows = virtualizer.getVirtualItems();
  const margin = virtualizer.options.scrollMargin;
  const padTop = windowRows.length > 0 ? windowRows[0]!.start - margin : 0;
  const padBottom = windowRows.length > 0 ? virtualizer.getTotalSize() - (windowRows[windowRows.length - 1]!.end - margin) : 0;

  return (
    <>
      <Group justify="space-between" mb="sm" align="flex-end">
        <div>
          <Title order={1} size="h2">Caseload</Title>
          <Text size="sm" c="gray.7">
            {rows ? `${rows.length} ${rows.length === 1 ? 'patient' : 'patients'}${filtered ? ' matching' : ''}${listsDischarged ? ', discharged included' : ' on the open caseload'}` : 'Loading…'}
          </Text>
        </div>
        <Button onClick={() => setAdding(true)}>Add patient</Button>
      </Group>
      <Group mb="md" align="flex-end" gap="sm">
        <TextInput label="Search" description="Name in any order, last 4 NHS digits, or date of birth" value={query} onChange={(e) => setQuery(e.currentTarget.value)} w={300} />
        <Select label="Status" placeholder="Any" clearable data={REFERRAL_STATUSES.map((s) => ({ value: s, label: REFERRAL_STATUS_LABELS[s] }))} value={status} onChange={setStatus} w={230} />
        <Select label="Pathway" placeholder="Any" clearable data={PATHWAYS.map((p) => ({ value: p, label: PATHWAY_LABELS[p] }))} value={pathway} onChange={setPathway} w={150} />
        <Select
          label="Sort by"
          data={[
            { value: 'name', label: 'Name' },
            { value: 'waiting', label: 'Longest waiting' },
            { value: 'next', label: 'Next appointment' },
            { value: 'phq9', label: 'Highest PHQ-9' },
          ]}
          value={sort}
          onChange={(v) => v && setSort(v as SortKey)}
          allowDeselect={false}
          w={180}
        />
        <Checkbox label="Risk flag only" checked={riskOnly} onChange={(e) => setRiskOnly(e.currentTarget.checked)} mb={8} />
        <Checkbox label="Show discharged patients" checked={withDischarged} onChange={(e) => setWithDischarged(e.currentTarget.checked)} mb={8} />
      </Group>
      {added && (
        <Alert color="teal" role="status" mb="md" withCloseButton closeButtonLabel="Close message" onClose={() => setAdded(null)}>
          <Text size="sm" c="dark.9">{added.name} added to the caseload.</Text>
        </Alert>
      )}
      {failure && <Alert color="red" role="alert" mb="md">{failure}</Alert>}
      <Paper withBorder radius="md">
        <Table striped highlightOnHover verticalSpacing="xs" aria-label="Caseload" aria-rowcount={(shown?.length ?? 0) + 1}>
          <Table.Thead>
            <Table.Tr aria-rowindex={1}>
              <Table.Th>Name</Table.Th>
              <Table.Th>Age</Table.Th>
              <Table.Th>NHS number</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Waiting / sessions</Table.Th>
              <Table.Th>Next appointment</Table.Th>
              <Table.Th>PHQ-9</Table.Th>
              <Table.Th>Anxiety</Table.Th>
              <Table.Th>Risk</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody ref={body}>
            {padTop > 0 && <tr aria-hidden="true" style={{ height: padTop }} />}
            {shown && windowRows.map((v) => {
              const p = shown[v.index]!;
              const e = p.episode;
              return (
                <Table.Tr key={p.patientId} data-index={v.index} ref={virtualizer.measureElement} aria-rowindex={v.index + 2}>
                  <Table.Td fw={600}>
                    <Anchor
                      component="button"
                      fw={600}
                      ref={(el: HTMLButtonElement | null) => {
                        if (el) rowButtons.current.set(p.patientId, el);
                        else rowButtons.current.delete(p.patientId);
                      }}
                      onClick={() => go({ view: 'patient', patientId: p.patientId })}
                    >
                      {p.familyName.toUpperCase()}, {p.givenName}
                    </Anchor>
                    <Text size="xs" c="gray.8">Born {formatUkDate(p.dateOfBirth)}</Text>
                  </Table.Td>
                  <Table.Td>{age(p.dateOfBirth, today)}</Table.Td>
                  <Table.Td ff="monospace">{formatNhsNumber(p.nhsNumber)}</Table.Td>
                  <Table.Td>{e ? REFERRAL_STATUS_LABELS[e.status] : <Text size="sm" c="gray.8">Not referred</Text>}</Table.Td>
                  <Table.Td>{!e ? '' : e.daysWaiting !== null ? `Waiting ${e.daysWaiting} days` : `${e.sessions} session${e.sessions === 1 ? '' : 's'}`}</Table.Td>
                  <Table.Td>{e?.nextAppointment ? formatUkDate(e.nextAppointment) : ''}</Table.Td>
                  <Table.Td><Score score={e?.lastPhq9 ?? null} title="PHQ-9" /></Table.Td>
                  <Table.Td>{e?.lastAnxiety ? <Score score={e.lastAnxiety} title={anxietyTitle(e.lastAnxiety.instrumentId)} /> : <Score score={null} title="" />}</Table.Td>
                  <Table.Td>{e?.riskFlag && <Badge color="red.9" variant="filled">Risk</Badge>}</Table.Td>
                </Table.Tr>
              );
            })}
            {padBottom > 0 && <tr aria-hidden="true" style={{ height: padBottom }} />}
            {shown?.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text ta="center" c="gray.7" py="lg">
                    {filtered ? (listsDischarged ? 'No patients match that search.' : 'No patient on the open caseload matches that search.') : listsDischarged ? 'No patients yet. Use “Add patient” to start your caseload.' : 'No patients yet on your open caseload. Use “Add patient” to start it, or show the discharged too.'}
                  </Text>
                  {!listsDischarged && (
                    <Group justify="center" pb="md">
                      <Button variant="default" size="compact-sm" onClick={() => setWithDischarged(true)}>Show discharged patients too</Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Paper>
      <AddPatientModal
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={(p) => {
          setAdding(false);
          setAdded({ id: p.id, name: `${p.givenName} ${p.familyName}` });
          void load();
        }}
      />
    </>
  );
}
