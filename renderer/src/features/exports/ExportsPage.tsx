import { Alert, Button, Card, Code, Group, List, PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract/contract';
import { LINKAGE_KEY_MIN } from '../../../../shared/contract/exports';
import { configurableToolInstruments } from '../../../../shared/exports/dataSet';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { fieldErrors, errorMessage } from '../../lib/errors';
import { isoFromTyped } from '../../lib/forms';
import { useOutcomes } from '../../lib/useOutcomes';

type Completeness = MethodOutput<'exports.preview'>['completeness'];
type Written = { title: string; paths: string[] };

/** The twelve months ending today: the usual reporting year when nothing else is chosen. */
function lastYear(): { from: string; to: string } {
  const today = todayIso();
  const start = new Date(`${today}T00:00:00Z`);
  start.setUTCFullYear(start.getUTCFullYear() - 1);
  start.setUTCDate(start.getUTCDate() + 1);
  return { from: start.toISOString().slice(0, 10), to: today };
}

/**
 * Exports (issue #11 §3): each file set is one explicit action, after the warning that it leaves the encrypted
 * caseload; the folder is always picked through the shell (files.chooseFolder, purpose "exports"), and the
 * services write and audit it. The completeness summary shows, before anything is written, which data-set fields
 * were not recorded (they are exported empty).
 */
export function ExportsPage() {
  const initial = lastYear();
  const [from, setFrom] = useState(formatUkDate(initial.from));
  const [to, setTo] = useState(formatUkDate(initial.to));
  const [linkageKey, setLinkageKey] = useState('');
  const toolInstruments = configurableToolInstruments(useOutcomes().instruments());
  const [codes, setCodes] = useState<Record<string, string>>({});
  const [codesNote, setCodesNote] = useState<string | null>(null);
  // The service's own codes fill the boxes; what is typed here is used for this export, and kept only on request.
  useEffect(() => {
    api['serviceSettings.get']({})
      .then((s) => setCodes((typed) => ({ ...s.toolCodes, ...typed })))
      .catch((err: unknown) => setBanner(errorMessage(err)));
  }, []);
  /** Only the codes typed in: an empty box leaves that measure's CodedAssToolType empty (and counted). */
  const toolCodes = () => Object.fromEntries(Object.entries(codes).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ notice: string; referrals: number; completeness: Completeness } | null>(null);
  const [written, setWritten] = useState<Written | null>(null);

  const period = () => ({ from: isoFromTyped(from), to: isoFromTyped(to) });
  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setBanner(null);
    setErrors({});
    setWritten(null);
    try {
      await action();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setBanner(errorMessage(err));
      else if (!Object.keys(fields).some((k) => k.startsWith('period.') || k.startsWith('toolCodes.') || k === 'linkageKey')) setBanner(Object.values(fields).join(' '));
    } finally {
      setBusy(null);
    }
  };
  /** The folder is chosen through the shell each time, so the person sees where the files go. */
  const chooseFolder = async (): Promise<boolean> => {
    const { folder } = await api['files.chooseFolder']({ purpose: 'exports' });
    if (folder === null) setBanner('No folder was chosen, so nothing was written.');
    return folder !== null;
  };

  const keepCodes = () =>
    run('codes', async () => {
      const settings = await api['serviceSettings.get']({});
      const { version, outcomes, sourceCodes, ltcCodes } = settings;
      await api['serviceSettings.update']({ version, outcomes, sourceCodes: sourceCodes as Parameters<(typeof api)['serviceSettings.update']>[0]['sourceCodes'], ltcCodes, toolCodes: toolCodes() });
      setCodesNote('Kept as the service’s codes: every export starts from them.');
    });
  const preview = () => run('preview', async () => setSummary(await api['exports.preview']({ period: period(), toolCodes: toolCodes() })));
  const exportDataSet = () =>
    run('dataSet', async () => {
      if (!(await chooseFolder())) return;
      const result = await api['exports.dataSet']({ period: period(), toolCodes: toolCodes() });
      setSummary((s) => ({ notice: result.notice, referrals: s?.referrals ?? result.files[0]?.rows ?? 0, completeness: result.completeness }));
      setWritten({ title: 'Data-set CSV files saved', paths: result.files.map((f) => `${f.path} (${f.rows} rows)`) });
    });
  const exportFhir = () =>
    run('fhir', async () => {
      if (!(await chooseFolder())) return;
      const result = await api['exports.fhir']({ period: period(), toolCodes: toolCodes() });
      const r = result.resources;
      setWritten({ title: 'FHIR bundle saved', paths: [`${result.file.path} (${r.Patient} patients, ${r.QuestionnaireResponse} questionnaire responses, ${r.Observation} observations)`] });
    });
  const exportPseudonymised = () =>
    run('pseudonymised', async () => {
      if (linkageKey.length < LINKAGE_KEY_MIN) {
        setErrors({ linkageKey: `Must be at least ${LINKAGE_KEY_MIN} characters` });
        return;
      }
      if (!(await chooseFolder())) return;
      const result = await api['exports.pseudonymised']({ period: period(), linkageKey });
      setLinkageKey('');
      setWritten({ title: 'Pseudonymised extract saved', paths: [`${result.file.path} (${result.file.rows} rows)`] });
    });

  const gaps = summary?.completeness.flatMap((f) => f.columns.filter((c) => c.empty > 0).map((c) => ({ table: f.table, rows: f.rows, ...c }))) ?? [];

  return (
    <Stack gap="md" maw={1200}>
      <Title order={1} size="h2">Exports</Title>
      <Alert color="orange" variant="light" title={<Text fw={700} c="dark.9">These files leave the encrypted caseload</Text>}>
        <Text size="sm">
          Exported files are not encrypted: anyone who can open the folder you choose can read them. The data-set files and the FHIR bundle hold patients’ records
          (the bundle names each patient and their NHS number). Choose a folder your service approves, move the files on as agreed, and delete them afterwards.
          Each export is recorded in the audit trail with its files and the referrals in it.
        </Text>
      </Alert>

      <Card withBorder>
        <Stack gap="sm">
          <Title order={2} size="h4">Period</Title>
          <Group align="flex-start">
            <TextInput label="From" description="DD/MM/YYYY" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors['period.from']} w={180} />
            <TextInput label="To" description="DD/MM/YYYY" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors['period.to']} w={180} />
            <Button mt={48} variant="default" onClick={() => void preview()} loading={busy === 'preview'}>Check completeness</Button>
          </Group>
          <Text size="sm" c="gray.8">Referrals open at any time in the period, with the contacts and measures dated within it.</Text>
        </Stack>
      </Card>

      {banner && <Alert color="red" role="alert">{banner}</Alert>}
      {written && (
        <Alert color="teal" role="status" title={<Text fw={700} c="dark.9">{written.title}</Text>}>
          <List size="sm">
            {written.paths.map((p) => (
              <List.Item key={p}><Code>{p}</Code></List.Item>
            ))}
          </List>
        </Alert>
      )}

      <SimpleGrid cols={3}>
        <Card withBorder>
          <Stack gap="xs" h="100%" justify="space-between">
            <div>
              <Title order={2} size="h4">Data-set CSV files</Title>
              <Text size="sm" c="gray.8">IDS101 referral, IDS201 care contact, IDS202 care activity, IDS602 long-term condition, IDS603 presenting complaint, IDS606 and IDS607 coded scored assessments. Data-set shaped, not a certified submission.</Text>
            </div>
            <Button onClick={() => void exportDataSet()} loading={busy === 'dataSet'}>Choose folder and export CSV files</Button>
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs" h="100%" justify="space-between">
            <div>
              <Title order={2} size="h4">FHIR R4 bundle</Title>
              <Text size="sm" c="gray.8">Patients, questionnaire responses and scored totals as observations (PHQ-9 SNOMED 720433000, GAD-7 445455005), as one JSON file.</Text>
            </div>
            <Button onClick={() => void exportFhir()} loading={busy === 'fhir'}>Choose folder and export FHIR bundle</Button>
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs" h="100%" justify="space-between">
            <div>
              <Title order={2} size="h4">Pseudonymised healthcare use</Title>
              <Text size="sm" c="gray.8">For data linkage: no names, NHS number replaced by a keyed code, dates to the month. The key is used once and never stored: keep it where your linkage partner can use it.</Text>
            </div>
            <PasswordInput label="Linkage key" description={`At least ${LINKAGE_KEY_MIN} characters`} value={linkageKey} onChange={(e) => setLinkageKey(e.currentTarget.value)} error={errors.linkageKey} autoComplete="off" />
            <Button onClick={() => void exportPseudonymised()} loading={busy === 'pseudonymised'}>Choose folder and export extract</Button>
          </Stack>
        </Card>
      </SimpleGrid>

      {summary && (
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">Completeness</Title>
            <Text size="sm">{summary.referrals} referrals in the period. Fields nobody recorded are exported empty; these are the gaps:</Text>
            {gaps.length === 0 ? (
              <Text size="sm">Every field of every file is recorded.</Text>
            ) : (
              <Table striped withTableBorder aria-label="Fields not recorded">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>File</Table.Th>
                    <Table.Th>Field</Table.Th>
                    <Table.Th>Empty</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {gaps.map((g) => (
                    <Table.Tr key={`${g.table}-${g.column}`}>
                      <Table.Td>{g.table}</Table.Td>
                      <Table.Td>{g.column}</Table.Td>
                      <Table.Td>{g.empty} of {g.rows}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Text size="xs" c="gray.8">{summary.notice}</Text>
          </Stack>
        </Card>
      )}
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">Codes for measures the reference does not code</Title>
          <Text size="sm" c="gray.8">
            PHQ-9 (720433000) and GAD-7 (445455005) carry the reference’s SNOMED CT codes. For the others the reference found no code: enter your service’s code from the
            data set’s “coded assessment tool type” list, or leave it empty and the field is exported empty.
          </Text>
          <SimpleGrid cols={4}>
            {toolInstruments.map((i) => (
              <TextInput
                key={i.id}
                label={i.title}
                value={codes[i.id] ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setCodes((c) => ({ ...c, [i.id]: value }));
                }}
                error={errors[`toolCodes.${i.id}`]}
                inputMode="numeric"
              />
            ))}
          </SimpleGrid>
          <Group gap="sm">
            <Button variant="default" size="xs" onClick={() => void keepCodes()} loading={busy === 'codes'}>Keep these codes for the service</Button>
            {codesNote && <Text size="sm" role="status">{codesNote}</Text>}
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
