import { Alert, Badge, Button, Grid, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Formulation, FormulationSummary } from '../../../../shared/contract/formulation';
import type { ReferralDetail } from '../../../../shared/contract/referrals';
import { formatUkDate } from '../../../../shared/domain/dates';
import { BOX_KINDS, BOX_LABELS, emptyDiagram, leadsTo, sameArrow, type BoxKind, type FormulationDiagram } from '../../../../shared/domain/formulation';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { PatientHeader } from '../patient/PatientHeader';
import { ExportFormulationDialog } from './ExportFormulationDialog';
import { FormulationDiagramView } from './FormulationDiagramView';
import { FormulationWords } from './FormulationWords';

const savedOn = (iso: string) => `${formatUkDate(iso.slice(0, 10))} ${iso.slice(11, 16)}`;

/**
 * The episode's LTC-adapted CBT formulation (issue #10 stage 6): a diagram the clinician edits in place, saved as
 * versions (every one kept and listed by date; an older one opens read only), exported as a PDF for the patient.
 * Entered from the episode screen.
 */
export function FormulationPage({ referralId }: { referralId: string }) {
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [versions, setVersions] = useState<FormulationSummary[]>([]);
  const [latest, setLatest] = useState<Formulation | null>(null);
  const [draft, setDraft] = useState<FormulationDiagram>(emptyDiagram());
  const [dirty, setDirty] = useState(false);
  const [viewing, setViewing] = useState<Formulation | null>(null);
  const [from, setFrom] = useState<BoxKind>('situation');
  const [to, setTo] = useState<BoxKind>('thoughts');
  const [arrowProblem, setArrowProblem] = useState<string | null>(null);
  const [banner, setBanner] = useState<{ ok: boolean; text: string } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState(false);
  const targetSelect = useRef<HTMLSelectElement>(null);

  const load = useCallback(async () => {
    const list = await api['formulation.list']({ referralId });
    setVersions(list.versions);
    setLatest(list.latest);
    setDraft(list.latest?.diagram ?? emptyDiagram());
    setDirty(false);
  }, [referralId]);
  useEffect(() => {
    (async () => {
      setDetail(await api['referrals.get']({ id: referralId }));
      await load();
    })().catch((err: unknown) => setFailure(errorMessage(err)));
  }, [referralId, load]);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!detail) return <Text>Loading…</Text>;

  const change = (next: FormulationDiagram) => {
    setDraft(next);
    setDirty(true);
    setBanner(null);
  };
  const addArrow = () => {
    const arrow = { from, to };
    if (from === to) return setArrowProblem('Choose two different boxes: an arrow joins one box to another.');
    if (draft.arrows.some((a) => sameArrow(a, arrow))) return setArrowProblem(`There is already an arrow: ${leadsTo(arrow)}.`);
    setArrowProblem(null);
    change({ ...draft, arrows: [...draft.arrows, arrow] });
  };
  const save = async () => {
    setBusy(true);
    try {
      const saved = await api['formulation.save']({ referralId, baseVersion: latest?.formulationVersion ?? 0, diagram: draft });
      await load();
      setBanner({ ok: true, text: `Saved as version ${saved.formulationVersion}.` });
    } catch (err) {
      setBanner({ ok: false, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const view = async (v: FormulationSummary) => {
    setBanner(null);
    try {
      setViewing(v.id === latest?.id ? null : await api['formulation.get']({ id: v.id }));
    } catch (err) {
      setBanner({ ok: false, text: errorMessage(err) });
    }
  };

  const shown = viewing ?? (dirty ? null : latest);
  const options = BOX_KINDS.map((k) => ({ value: k, label: BOX_LABELS[k] }));
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <PatientHeader patient={detail.patient} back={{ view: 'episode', referralId }} backLabel="Episode" title="Formulation" />
        <Group gap="sm">
          {viewing ? (
            <Button variant="default" onClick={() => setViewing(null)}>Back to the latest version</Button>
          ) : (
            <Button onClick={() => void save()} loading={busy} disabled={!dirty}>Save version</Button>
          )}
          <Button variant="default" disabled={!shown} onClick={() => setExporting(true)}>Export PDF</Button>
        </Group>
      </Group>
      {viewing && (
        <Alert color="gray" variant="light" role="status">
          Showing version {viewing.formulationVersion}, saved {savedOn(viewing.createdAt)} by {viewing.savedByName}. Earlier versions are kept as they were and cannot be changed.
        </Alert>
      )}
      {!viewing && dirty && <Text size="sm" fw={700} c="dark.9">Unsaved changes: save a version before exporting.</Text>}
      {banner && <Alert color={banner.ok ? 'teal' : 'red'} role={banner.ok ? 'status' : 'alert'}>{banner.text}</Alert>}
      <Grid>
        <Grid.Col span={8}>
          <Paper withBorder p="xs">
            {!viewing && (
              <Text size="xs" c="gray.8" mb={4} id="formulation-keys">
                Tab to a box: Enter edits its words in place, A adds an item, L starts an arrow from it. Tab to an arrow: Delete removes it.
              </Text>
            )}
            <FormulationDiagramView diagram={viewing?.diagram ?? draft} readOnly={viewing !== null} describedBy="formulation-words"
              onChange={change}
              onStartArrow={(kind) => {
                setFrom(kind);
                targetSelect.current?.focus();
              }}
            />
          </Paper>
          {!viewing && (
            <Paper withBorder p="xs" mt="xs">
              <Group align="flex-end" gap="sm">
                <NativeSelect label="Arrow from" data={options} value={from} onChange={(e) => setFrom(e.currentTarget.value as BoxKind)} />
                <NativeSelect ref={targetSelect} label="leads to" data={options} value={to} onChange={(e) => setTo(e.currentTarget.value as BoxKind)} />
                <Button variant="default" onClick={addArrow}>Add arrow</Button>
              </Group>
              {arrowProblem && <Text size="sm" c="red.8" role="alert" mt={4}>{arrowProblem}</Text>}
            </Paper>
          )}
        </Grid.Col>
        <Grid.Col span={4}>
          <Stack gap="sm">
            <Paper withBorder p="xs">
              <FormulationWords diagram={viewing?.diagram ?? draft} id="formulation-words" />
            </Paper>
            <Paper withBorder p="xs">
              <Title order={2} size="h5" mb={4}>Saved versions</Title>
              {versions.length === 0 ? <Text size="sm">None yet: the first save makes version 1.</Text> : (
                <Table striped verticalSpacing={2} fz="sm">
                  <Table.Tbody>
                    {versions.map((v) => (
                      <Table.Tr key={v.id}>
                        <Table.Td>
                          Version {v.formulationVersion}{' '}
                          {v.id === latest?.id && <Badge size="xs" variant="light" c="nhsBlue.8">latest</Badge>}
                        </Table.Td>
                        <Table.Td>{savedOn(v.savedAt)}, {v.savedByName}</Table.Td>
                        <Table.Td>
                          <Button size="compact-xs" variant="subtle" aria-label={`View version ${v.formulationVersion}`} onClick={() => void view(v)}>View</Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Paper>
          </Stack>
        </Grid.Col>
      </Grid>
      {shown && (
        <ExportFormulationDialog id={shown.id} versionLabel={`version ${shown.formulationVersion}`} opened={exporting} onClose={() => setExporting(false)} />
      )}
    </Stack>
  );
}
