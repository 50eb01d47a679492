import { BarChart } from '@mantine/charts';
import { ActionIcon, Alert, Button, Group, NumberInput, Paper, Popover, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ReportFigure, ReportFilters, ReportRequest, ReportTable, ServiceReport, UnitCosts } from '../../../../shared/contract/reports';
import type { User } from '../../../../shared/domain/people';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ltcOptions, type LtcOption } from '../../../../shared/domain/episodeCodes';
import { DIMENSIONS, figureDefinition, LTC_DEFINITIONS, REFERRAL_SOURCES, type Dimension } from '../../../../shared/outcomes';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { isoFromTyped } from '../../lib/forms';
import { ExportCsvDialog } from './ExportCsvDialog';

const DIMENSION_LABELS: Record<Dimension, string> = { pathway: 'Pathway', ltc: 'Long-term condition', referralSource: 'Referral source', clinician: 'Clinician', step: 'Step' };
/** The headline rates charted above the table (ref §4). */
const CHARTED = ['recovery', 'reliableRecovery', 'reliableImprovement', 'reliableDeterioration', 'finishedWithin42Days', 'finishedWithin126Days', 'dnaRate'];

const iso = (d: Date) => d.toISOString().slice(0, 10);
function lastYear(): { start: string; end: string } {
  const end = new Date();
  const start = new Date(end);
  start.setUTCFullYear(end.getUTCFullYear() - 1);
  start.setUTCDate(start.getUTCDate() + 1);
  return { start: iso(start), end: iso(end) };
}

function shown(f: ReportFigure): string {
  if (f.value === null) return '—';
  if (f.kind === 'rate') return `${(f.value * 100).toFixed(1)}% (${f.count} of ${f.denominator})`;
  if (f.kind === 'count') return String(f.value);
  return f.value.toFixed(1);
}
const num = (v: number | null, digits = 1) => (v === null ? '—' : v.toFixed(digits));

/** The figure's definition, one click away, with its reference row. */
function Definition({ label, text, source }: { label: string; text: string; source?: string }) {
  return (
    <Popover width={360} position="right" withArrow shadow="md">
      <Popover.Target>
        <ActionIcon variant="subtle" size="sm" aria-label={`Definition of ${label}`}>?</ActionIcon>
      </Popover.Target>
      <Popover.Dropdown>
        <Text size="sm" fw={700}>{label}</Text>
        <Text size="sm">{text}</Text>
        {source && <Text size="xs" c="gray.8" mt={4}>Source: {source}</Text>}
      </Popover.Dropdown>
    </Popover>
  );
}

function SectionHeader({ title, onExport }: { title: string; onExport: () => void }) {
  return (
    <Group justify="space-between">
      <Title order={2} size="h4">{title}</Title>
      <Button variant="default" size="xs" onClick={onExport}>Export CSV…</Button>
    </Group>
  );
}

/**
 * Service reports (issue #11 item 2): every figure of the outcome rules for a period and filters, computed by
 * the services over the person's scope, as charts and tables, each figure's definition one click away.
 */
export function ReportsPage() {
  // Typed as DD/MM/YYYY like every date in the app (DESIGN §3), sent as ISO; a date that does not parse is sent
  // as typed, so the contract's schema names the field.
  const [typed, setTyped] = useState(() => {
    const p = lastYear();
    return { start: formatUkDate(p.start), end: formatUkDate(p.end) };
  });
  const period = { start: isoFromTyped(typed.start), end: isoFromTyped(typed.end) };
  const [filters, setFilters] = useState<ReportFilters>({});
  const [splitBy, setSplitBy] = useState<Dimension | null>(null);
  const [unitCosts, setUnitCosts] = useState<UnitCosts>({});
  const [report, setReport] = useState<ServiceReport | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [exporting, setExporting] = useState<{ table: ReportTable; title: string } | null>(null);
  const [ltcs, setLtcs] = useState<LtcOption[]>(ltcOptions());
  const [clinicians, setClinicians] = useState<User[]>([]);

  useEffect(() => {
    void api['serviceSettings.get']({}).then((s) => setLtcs(ltcOptions(s.ltcCodes)), () => undefined);
    void api['users.list']({}).then((u) => setClinicians(u.users.filter((x) => x.role === 'pwp' || x.role === 'hit' || x.role === 'supervisor')), () => undefined);
  }, []);

  const request: ReportRequest = { period, filters, unitCosts, ...(splitBy ? { splitBy } : {}) };
  const run = async () => {
    setBusy(true);
    setBanner(null);
    setErrors({});
    try {
      setReport(await api['reports.service'](request));
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setBanner(Object.keys(fields).length > 0 ? 'Check the highlighted fields.' : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const setFilter = <K extends keyof ReportFilters>(key: K, value: ReportFilters[K] | null) =>
    setFilters((f) => {
      const next = { ...f };
      if (value === null || value === undefined || value === '') delete next[key];
      else next[key] = value;
      return next;
    });

  const chart = report?.figures.filter((f) => CHARTED.includes(f.id)).map((f) => ({ figure: f.label.replace(/ rate$/, '').replace('Finished courses: ', ''), percent: f.value === null ? 0 : Math.round(f.value * 1000) / 10 }));
  const splitRecovery = report?.split?.groups.map((g) => ({ group: g.label, percent: Math.round((g.figures.find((f) => f.id === 'recovery')?.value ?? 0) * 1000) / 10 }));

  return (
    <Stack gap="md" maw={1300}>
      <Title order={1} size="h2">Service reports</Title>
      <Paper withBorder p="md" component="form" onSubmit={(e) => { e.preventDefault(); void run(); }} aria-label="Report period and filters">
        <SimpleGrid cols={4} spacing="sm">
          <TextInput label="From" description="DD/MM/YYYY" autoComplete="off" value={typed.start} onChange={(e) => { const start = e.currentTarget.value; setTyped((t) => ({ ...t, start })); }} error={errors['period.start']} w={150} />
          <TextInput label="To" description="DD/MM/YYYY" autoComplete="off" value={typed.end} onChange={(e) => { const end = e.currentTarget.value; setTyped((t) => ({ ...t, end })); }} error={errors['period.end']} w={150} />
          <Select label="Pathway" placeholder="All" clearable data={[{ value: 'integrated-ltc', label: 'Integrated LTC pathway' }, { value: 'core', label: 'Core pathway' }]} value={filters.pathway ?? null} onChange={(v) => setFilter('pathway', v as ReportFilters['pathway'] | null)} />
          <Select label="Long-term condition" placeholder="All" clearable searchable data={ltcs.map((o) => ({ value: o.code, label: o.label }))} value={filters.ltcCode ?? null} onChange={(v) => setFilter('ltcCode', v)} error={errors['filters.ltcCode']} />
          <Select label="Clinician" placeholder="All in your scope" clearable searchable data={clinicians.map((u) => ({ value: u.id, label: u.displayName }))} value={filters.clinicianId ?? null} onChange={(v) => setFilter('clinicianId', v)} />
          <TextInput label="Team, clinic or site" placeholder="All" value={filters.team ?? ''} onChange={(e) => setFilter('team', e.currentTarget.value)} error={errors['filters.team']} />
          <Select label="Step" placeholder="All" clearable data={['2', '3', '4'].map((s) => ({ value: s, label: `Step ${s}` }))} value={filters.step ? String(filters.step) : null} onChange={(v) => setFilter('step', v ? (Number(v) as 2 | 3 | 4) : null)} />
          <Select label="Referral source" placeholder="All" clearable searchable data={REFERRAL_SOURCES.map((s) => ({ value: s.code, label: `${s.code} ${s.label}` }))} value={filters.referralSource ?? null} onChange={(v) => setFilter('referralSource', v as ReportFilters['referralSource'] | null)} />
          <Select label="Split by" placeholder="No split" clearable data={DIMENSIONS.map((d) => ({ value: d, label: DIMENSION_LABELS[d] }))} value={splitBy} onChange={(v) => setSplitBy(v as Dimension | null)} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" loading={busy}>Run report</Button>
          <Text size="sm" c="gray.8">Figures cover the referrals your role lets you see. Exports suppress figures from 1–4 referrals.</Text>
        </Group>
      </Paper>
      {banner && <Alert color="red" role="alert">{banner}</Alert>}

      {report && (
        <>
          <Text size="sm" role="status">
            {report.referralsConsidered} referrals considered for {formatUkDate(report.period.start)} to {formatUkDate(report.period.end)}
            {report.dataQuality.excludedCount > 0 ? `; ${report.dataQuality.excludedCount} left out as malformed` : ''}
            {report.dataQuality.warningCount > 0 ? `; ${report.dataQuality.warningCount} with data-quality warnings` : ''}.
          </Text>
          <Paper withBorder p="md">
            <SectionHeader title="Outcomes and waits" onExport={() => setExporting({ table: 'figures', title: 'outcomes and waits' })} />
            <figure style={{ margin: 0 }} aria-label={`Headline rates: ${chart!.map((c) => `${c.figure} ${c.percent}%`).join('; ')}`}>
              <BarChart h={220} data={chart!} dataKey="figure" series={[{ name: 'percent', label: 'Percent', color: 'nhsBlue.6' }]} yAxisProps={{ domain: [0, 100] }} unit="%" />
            </figure>
            <Table striped mt="sm" aria-label="All figures">
              <Table.Thead>
                <Table.Tr><Table.Th>Figure</Table.Th><Table.Th>Value</Table.Th><Table.Th>Referrals</Table.Th><Table.Th>Source</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.figures.map((f) => (
                  <Table.Tr key={f.id}>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap"><Text size="sm">{f.label}{f.local ? ' (local)' : ''}</Text><Definition label={f.label} text={figureDefinition(f.id)} source={f.source} /></Group>
                    </Table.Td>
                    <Table.Td>{shown(f)}{f.note && f.value === null ? <Text size="xs" c="gray.8">{f.note}</Text> : null}</Table.Td>
                    <Table.Td>{f.referrals}</Table.Td>
                    <Table.Td><Text size="xs">{f.source}</Text></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>

          {report.split && (
            <Paper withBorder p="md">
              <SectionHeader title={`By ${DIMENSION_LABELS[report.split.dimension].toLowerCase()}`} onExport={() => setExporting({ table: 'split', title: `the split by ${DIMENSION_LABELS[report.split!.dimension].toLowerCase()}` })} />
              <figure style={{ margin: 0 }} aria-label={`Recovery by group: ${splitRecovery!.map((g) => `${g.group} ${g.percent}%`).join('; ')}`}>
                <BarChart h={200} data={splitRecovery!} dataKey="group" series={[{ name: 'percent', label: 'Recovery %', color: 'teal.7' }]} yAxisProps={{ domain: [0, 100] }} unit="%" />
              </figure>
              <Table striped mt="sm" aria-label="Figures by group">
                <Table.Thead>
                  <Table.Tr><Table.Th>Group</Table.Th><Table.Th>Referrals received</Table.Th><Table.Th>Finished</Table.Th><Table.Th>Recovery</Table.Th><Table.Th>Reliable improvement</Table.Th><Table.Th>DNA rate</Table.Th></Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.split.groups.map((g) => {
                    const f = (id: string) => shown(g.figures.find((x) => x.id === id)!);
                    return (
                      <Table.Tr key={g.key}>
                        <Table.Td>{g.label}</Table.Td><Table.Td>{f('referralsReceived')}</Table.Td><Table.Td>{f('finished')}</Table.Td><Table.Td>{f('recovery')}</Table.Td><Table.Td>{f('reliableImprovement')}</Table.Td><Table.Td>{f('dnaRate')}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Paper>
          )}

          <Paper withBorder p="md">
            <SectionHeader title="Pre-post effect sizes" onExport={() => setExporting({ table: 'effect-sizes', title: 'effect sizes' })} />
            <Group gap={4}><Text size="sm">Finished courses in the period.</Text><Definition label="Pre-post effect size" text={LTC_DEFINITIONS.effectSize} /></Group>
            <Table striped mt="xs" aria-label="Pre-post effect sizes">
              <Table.Thead><Table.Tr><Table.Th>Measure</Table.Th><Table.Th>Pairs</Table.Th><Table.Th>Mean first</Table.Th><Table.Th>Mean last</Table.Th><Table.Th>SD first</Table.Th><Table.Th>Effect size</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {report.effectSizes.map((e) => (
                  <Table.Tr key={e.instrumentId}><Table.Td>{e.instrumentId}</Table.Td><Table.Td>{e.pairs}</Table.Td><Table.Td>{num(e.meanFirst)}</Table.Td><Table.Td>{num(e.meanLast)}</Table.Td><Table.Td>{num(e.sdFirst)}</Table.Td><Table.Td>{num(e.effectSize, 2)}</Table.Td></Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>

          <SimpleGrid cols={2}>
            <Paper withBorder p="md">
              <SectionHeader title="HbA1c (LTC pathway)" onExport={() => setExporting({ table: 'hba1c', title: 'HbA1c change' })} />
              <Group gap={4}><Text size="sm">{report.hba1c.n} finished courses with two values.</Text><Definition label="HbA1c change" text={LTC_DEFINITIONS.hba1c} /></Group>
              <Text size="sm">Mean first {num(report.hba1c.meanFirst)} → mean last {num(report.hba1c.meanLast)} mmol/mol (change {num(report.hba1c.meanChange)}).</Text>
            </Paper>
            <Paper withBorder p="md">
              <SectionHeader title="Healthcare use (LTC pathway)" onExport={() => setExporting({ table: 'healthcare-use', title: 'healthcare use' })} />
              <Group gap={4}><Text size="sm">{report.healthcareUse.n} finished courses with records before and after.</Text><Definition label="Healthcare use" text={LTC_DEFINITIONS.healthcareUse} /></Group>
              <Table mt="xs" aria-label="Healthcare use before and after">
                <Table.Thead><Table.Tr><Table.Th>Item</Table.Th><Table.Th>Before</Table.Th><Table.Th>After</Table.Th><Table.Th>Unit cost (£)</Table.Th><Table.Th>Saving (£)</Table.Th></Table.Tr></Table.Thead>
                <Table.Tbody>
                  {report.healthcareUse.items.map((i) => (
                    <Table.Tr key={i.itemId}>
                      <Table.Td>{i.label}</Table.Td><Table.Td>{i.before}</Table.Td><Table.Td>{i.after}</Table.Td>
                      <Table.Td>
                        <NumberInput size="xs" w={90} min={0} aria-label={`Unit cost of ${i.label}`} value={unitCosts[i.itemId as keyof UnitCosts] ?? ''} error={errors[`unitCosts.${i.itemId}`]}
                          onChange={(v) => setUnitCosts((c) => { const next = { ...c }; if (typeof v === 'number') next[i.itemId as keyof UnitCosts] = v; else delete next[i.itemId as keyof UnitCosts]; return next; })} />
                      </Table.Td>
                      <Table.Td>{num(i.saving, 0)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Text size="sm" mt="xs">Total saving: {report.healthcareUse.totalSaving === null ? 'enter unit costs and run the report again' : `£${report.healthcareUse.totalSaving.toFixed(0)}`}</Text>
            </Paper>
          </SimpleGrid>

          <Paper withBorder p="md">
            <SectionHeader title="Waiting-time pauses (IDS108)" onExport={() => setExporting({ table: 'waiting-pauses', title: 'waiting-time pauses' })} />
            <Text size="sm" data-testid="waiting-pauses">
              Of the {report.waitingPauses.enteredTreatment} referrals entering treatment in the period, {report.waitingPauses.withPause} paused their wait at their own request
              {report.waitingPauses.withPause > 0 ? ` for ${report.waitingPauses.pausedDays} days in all (median ${num(report.waitingPauses.medianPausedDays)} days each)` : ''}. Reported
              here separately: the waiting figures above count the whole wait.
            </Text>
          </Paper>
        </>
      )}
      <ExportCsvDialog request={request} table={exporting?.table ?? null} title={exporting?.title ?? ''} onClose={() => setExporting(null)} />
    </Stack>
  );
}
