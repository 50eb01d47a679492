import { Paper, Table, Text, Title } from '@mantine/core';
import type { ReferralDetail } from '../../../../shared/contract/referrals';
import { formatUkDate } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, REFERRER_ROLE_LABELS } from '../../../../shared/domain/episodeCodes';
import type { Outcomes } from '../../../../shared/outcomes';
import { contactTypeLabel } from '../sessions/NewContactDialog';

interface Event {
  key: string;
  date: string;
  order: string;
  what: string;
  detail: string;
}

/** Everything that happened across a patient's referrals, newest first; a session's scores sit on its line. */
export function Timeline({ details, outcomes }: { details: ReferralDetail[]; outcomes: Outcomes }) {
  const short = (id: string) => outcomes.instrument(id).title.split(' (')[0]!;
  const events: Event[] = details.flatMap((d) => {
    const r = d.referral;
    const out: Event[] = [{ key: r.id, date: r.receivedDate, order: '0', what: 'Referral received', detail: `${REFERRER_ROLE_LABELS[r.referrerRole]} (${r.sourceCode}) · ${r.team}` }];
    if (r.dischargeDate) out.push({ key: `${r.id}-d`, date: r.dischargeDate, order: '9', what: 'Discharged', detail: `End code ${r.endCode}` });
    for (const c of d.contacts) {
      const scores = d.measures.filter((m) => m.contactId === c.id).map((m) => `${short(m.instrumentId)} ${m.total ?? '—'}`);
      out.push({
        key: c.id,
        date: c.date,
        order: `1${c.startTime}`,
        what: contactTypeLabel(c.type),
        detail: `${c.attendance === null ? 'Booked' : ATTENDANCE_LABELS[c.attendance]}${scores.length ? ` · ${scores.join(', ')}` : ''}`,
      });
    }
    for (const m of d.measures.filter((x) => x.contactId === null)) out.push({ key: m.id, date: m.date, order: '2', what: short(m.instrumentId), detail: `Total ${m.total ?? '—'}` });
    for (const a of d.riskAssessments) out.push({ key: a.id, date: a.date, order: '3', what: 'Risk review', detail: `${a.level} risk · next review ${formatUkDate(a.nextReviewDate)}` });
    const contactDate = new Map(d.contacts.map((c) => [c.id, c.date]));
    for (const n of d.notes) {
      // A session note belongs on its session's day; others on the day they were written or signed.
      const day = (n.contactId && contactDate.get(n.contactId)) || (n.signedAt ?? n.createdAt).slice(0, 10);
      out.push({ key: n.id, date: day, order: '4', what: n.status === 'signed' ? 'Note signed' : 'Note (draft)', detail: n.body.length > 90 ? `${n.body.slice(0, 90)}…` : n.body });
    }
    return out;
  });
  events.sort((a, b) => b.date.localeCompare(a.date) || b.order.localeCompare(a.order));
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h4" mb="xs">Timeline</Title>
      {events.length === 0 ? (
        <Text c="gray.8">Nothing recorded yet.</Text>
      ) : (
        <Table aria-label="Timeline" verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={110}>Date</Table.Th>
              <Table.Th w={220}>What</Table.Th>
              <Table.Th>Detail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {events.map((e) => (
              <Table.Tr key={e.key}>
                <Table.Td>{formatUkDate(e.date)}</Table.Td>
                <Table.Td fw={600}>{e.what}</Table.Td>
                <Table.Td>{e.detail}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
