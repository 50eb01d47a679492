import { Badge, Button, Group, NativeSelect, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import type { DayAppointment } from '../../../../shared/contract/appointments';
import { formatUkDate, todayIso } from '../../../../shared/domain/dates';
import { ATTENDANCE_LABELS, CONSULTATION_MECHANISMS, type ConsultationMechanism } from '../../../../shared/domain/episodeCodes';
import { formatNhsNumber } from '../../../../shared/domain/nhsNumber';
import { useNavigation } from '../../app/navigation';
import { contactTypeLabel } from '../sessions/NewContactDialog';
import classes from './clinicDay.module.css';

/** Codes for what happened at a booked appointment (ref §5.4); cancellations go through Cancel, with who asked. */
const HAPPENED = [5, 6, 7, 3] as const;
const HAPPENED_OPTIONS = HAPPENED.map((c) => ({ value: String(c), label: `${ATTENDANCE_LABELS[c]} (${c})` }));

export const patientName = (p: DayAppointment['patient']) => `${p.familyName.toUpperCase()}, ${p.givenName}`;

const statusClass = (code: number) => (code === 5 || code === 6 ? classes.attended : code === 2 || code === 4 ? classes.closed : classes.missed);

function Status({ row }: { row: DayAppointment }) {
  const code = row.appointment.attendance;
  if (code === null) return <Badge variant="light" color="nhsBlue" c="nhsBlue.9">Booked</Badge>;
  // Plain words, not a badge: the data set's labels are too long for a badge's single line.
  return (
    <div>
      <div className={`${classes.status} ${statusClass(code)}`}>{ATTENDANCE_LABELS[code]} ({code})</div>
      {row.appointment.cancellationReason && <div className={classes.small}>{row.appointment.cancellationReason}</div>}
      {row.rescheduledTo && <div className={classes.small}>Moved to {formatUkDate(row.rescheduledTo.date)} {row.rescheduledTo.startTime}</div>}
    </div>
  );
}

/** A native select: twelve of them on a clinic day cost far less to draw than twelve comboboxes. */
function RecordAttendance({ row, onRecord }: { row: DayAppointment; onRecord: (code: number) => Promise<void> }) {
  const [code, setCode] = useState('5');
  const name = patientName(row.patient);
  return (
    <Group gap={4} wrap="nowrap">
      <NativeSelect aria-label={`Attendance for ${name}`} size="xs" w={170} data={HAPPENED_OPTIONS} value={code} onChange={(e) => setCode(e.currentTarget.value)} />
      <Button size="xs" onClick={() => void onRecord(Number(code))} aria-label={`Record attendance for ${name}`}>Record</Button>
    </Group>
  );
}

/** One clinic day, in time order: who is due, what to measure, what is outstanding, and what to do next. */
export function DayTable({ rows, showClinician, clinical, onRecord, onChange }: {
  rows: DayAppointment[];
  showClinician: boolean;
  /** False for a booking clerk: no measures, actions, attendance or session, and no episode to open. */
  clinical: boolean;
  onRecord: (row: DayAppointment, code: number) => Promise<void>;
  onChange: (row: DayAppointment, mode: 'cancel' | 'reschedule') => void;
}) {
  const { go } = useNavigation();
  const today = todayIso();
  return (
    <Table verticalSpacing="xs" aria-label="Appointments" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Time</Table.Th>
          <Table.Th>Patient</Table.Th>
          <Table.Th>Appointment</Table.Th>
          {clinical && <Table.Th>Measures due</Table.Th>}
          {clinical && <Table.Th>Outstanding actions</Table.Th>}
          <Table.Th>Attendance</Table.Th>
          <Table.Th>Changes</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => {
          const a = row.appointment;
          const name = patientName(row.patient);
          const booked = a.attendance === null;
          const cancelled = a.attendance === 2 || a.attendance === 4;
          return (
            <Table.Tr key={a.id} data-testid="clinic-day-row">
              <Table.Td>
                <div className={cancelled ? `${classes.time} ${classes.cancelled}` : classes.time}>{a.startTime}</div>
                <div className={classes.small}>{a.durationMinutes} min</div>
              </Table.Td>
              <Table.Td>
                {clinical ? (
                  <button type="button" className={classes.patient} onClick={() => go({ view: 'episode', referralId: a.referralId })}>{name}</button>
                ) : (
                  <div className={classes.patient}>{name}</div>
                )}
                <div className={classes.small}>NHS {formatNhsNumber(row.patient.nhsNumber)} · born {formatUkDate(row.patient.dateOfBirth)}</div>
              </Table.Td>
              <Table.Td>
                <div className={classes.plain}>{contactTypeLabel(a.type)} · {CONSULTATION_MECHANISMS[a.mechanism as ConsultationMechanism] ?? a.mechanism}</div>
                <div className={classes.small}>{row.groupName ? `${row.groupName} · ` : ''}{row.clinicName ? `${row.clinicName} · ` : ''}{a.location}{showClinician ? ` · ${row.clinicianName}` : ''}</div>
              </Table.Td>
              {clinical && <Table.Td>
                {row.measuresDue.length === 0 ? (
                  <span className={classes.small}>—</span>
                ) : (
                  <div className={classes.measures}>
                    {row.measuresDue.map((m) => (
                      <span key={m.instrumentId} className={classes.measure} title={m.reason}>{m.title.split(' (')[0]}</span>
                    ))}
                  </div>
                )}
              </Table.Td>}
              {clinical && <Table.Td>
                {row.outstandingActions.length === 0 ? (
                  <span className={classes.small}>None</span>
                ) : (
                  <ul className={classes.actions}>
                    {row.outstandingActions.map((x) => (
                      <li key={x.id}>{x.description} <span className={x.dueDate <= today ? classes.overdue : classes.small}>(due {formatUkDate(x.dueDate)})</span></li>
                    ))}
                  </ul>
                )}
              </Table.Td>}
              <Table.Td>
                <Stack gap={4}>
                  <Status row={row} />
                  {clinical && booked && a.date <= today && <RecordAttendance row={row} onRecord={(code) => onRecord(row, code)} />}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  {clinical && (a.attendance === 5 || a.attendance === 6) && (
                    <Button size="xs" variant="light" onClick={() => go({ view: 'session', referralId: a.referralId, contactId: a.id })} aria-label={`Open the session with ${name}`}>Session</Button>
                  )}
                  {(booked || (cancelled && !row.rescheduledTo)) && (
                    <Button size="xs" variant="default" onClick={() => onChange(row, 'reschedule')} aria-label={`${booked ? 'Reschedule' : 'Rebook'} ${name}`}>{booked ? 'Reschedule' : 'Rebook'}</Button>
                  )}
                  {booked && (
                    <Button size="xs" variant="default" onClick={() => onChange(row, 'cancel')} aria-label={`Cancel ${name}`}>Cancel</Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
