import { CLINICAL_ROLES } from '../../../../shared/roles/policy';
import { Alert, Button, Group, Paper, SegmentedControl, Select, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { ClinicDay, ClinicWeek, DayAppointment } from '../../../../shared/contract/appointments';
import { weekdayName, type Clinic } from '../../../../shared/contract/clinics';
import type { User } from '../../../../shared/domain/people';
import { formatUkDate, parseUkDate, todayIso } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { BookDialog } from './BookDialog';
import { ChangeBookingDialog } from './ChangeBookingDialog';
import { DayTable, patientName } from './DayTable';
import { ClinicDialog } from './ClinicDialog';
import { WeekGrid } from './WeekGrid';

/** Whose day: "me" is the clinician using this device; otherwise "clinic:<id>" or "clinician:<id>". */
const ME = 'me';
const CLINICAL: readonly string[] = CLINICAL_ROLES;

function scopeOf(who: string): { clinicId?: string; clinicianId?: string } {
  if (who.startsWith('clinic:')) return { clinicId: who.slice('clinic:'.length) };
  if (who.startsWith('clinician:')) return { clinicianId: who.slice('clinician:'.length) };
  return {};
}

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
const weekdayOf = (iso: string) => weekdayName(((new Date(`${iso}T00:00:00Z`).getUTCDay() + 6) % 7) + 1);

/** The clinic day and week: per clinician or per clinic, with booking, cancelling, rescheduling and attendance. */
export function ClinicDayPage() {
  const [clinics, setClinics] = useState<Clinic[]>([]);
  const [colleagues, setColleagues] = useState<User[]>([]);
  const [who, setWho] = useState<string>(ME);
  const [view, setView] = useState<'day' | 'week'>('day');
  const [date, setDate] = useState(todayIso());
  const [typedDate, setTypedDate] = useState(formatUkDate(todayIso()));
  const [day, setDay] = useState<ClinicDay | null>(null);
  const [week, setWeek] = useState<ClinicWeek | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [booking, setBooking] = useState(false);
  const [editingClinic, setEditingClinic] = useState<'new' | Clinic | null>(null);
  const [changing, setChanging] = useState<{ row: DayAppointment; mode: 'cancel' | 'reschedule' } | null>(null);
  // A booking clerk keeps other people's diaries: no "my appointments", and no clinical columns.
  const [clerk, setClerk] = useState(false);

  const loadClinics = useCallback(async () => setClinics((await api['clinics.list']({})).clinics), []);
  const load = useCallback(async () => {
    try {
      const scope = { date, ...scopeOf(who) };
      if (view === 'day') setDay(await api['clinicDay.day'](scope));
      else setWeek(await api['clinicDay.week'](scope));
      setFailure(null);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [date, who, view]);
  // The day first: the worker answers one request at a time, and the day is what the clinician is waiting for.
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    loadClinics().catch((err: unknown) => setFailure(errorMessage(err)));
  }, [loadClinics]);
  // Other clinicians' days, for a supervisor or a booking clerk filling a colleague's diary.
  useEffect(() => {
    Promise.all([api['session.status']({}), api['users.list']({})])
      .then(([status, { users }]) => {
        const others = users.filter((u) => u.id !== status.owner?.id && CLINICAL.includes(u.role));
        setColleagues(others);
        if (status.owner?.role === 'booking-clerk') {
          setClerk(true);
          setWho((current) => (current === ME && others[0] ? `clinician:${others[0].id}` : current));
        }
      })
      .catch((err: unknown) => setFailure(errorMessage(err)));
  }, []);

  const moveTo = (iso: string) => {
    setDate(iso);
    setTypedDate(formatUkDate(iso));
  };
  const step = view === 'day' ? 1 : 7;
  const typedIso = parseUkDate(typedDate);
  const scope = scopeOf(who);
  const clinic = scope.clinicId ? (clinics.find((c) => c.id === scope.clinicId) ?? null) : null;
  const colleague = scope.clinicianId ? (colleagues.find((u) => u.id === scope.clinicianId) ?? null) : null;
  const scopeLabel = clinic ? `${clinic.name}, ${clinic.site}` : colleague ? `${colleague.displayName}'s appointments` : 'My appointments';

  const record = async (row: DayAppointment, code: number) => {
    try {
      await api['contacts.recordAttendance']({ id: row.appointment.id, version: row.appointment.version, attendance: code });
      setNotice(`Attendance recorded for ${patientName(row.patient)}.`);
      await load();
    } catch (err) {
      setFailure(errorMessage(err));
    }
  };

  return (
    <div>
      <Group justify="space-between" align="flex-end" mb="sm">
        <div>
          <Title order={1} size="h2">Clinic day</Title>
          <Text size="sm" c="gray.8">{view === 'day' ? `${weekdayOf(date)} ${formatUkDate(date)}` : `Week of ${formatUkDate(week?.weekStart ?? date)}`} · {scopeLabel}</Text>
        </div>
        <Group gap="xs">
          {clinic && <Button variant="default" onClick={() => setEditingClinic(clinic)}>Change clinic</Button>}
          <Button variant="default" onClick={() => setEditingClinic('new')}>New clinic</Button>
          <Button onClick={() => setBooking(true)}>Book appointment</Button>
        </Group>
      </Group>
      <Paper withBorder p="sm" mb="md">
        <Group align="flex-end" gap="sm">
          <Select
            label="Show"
            w={320}
            data={[
              ...(clerk ? [] : [{ value: ME, label: 'My appointments' }]),
              ...(clinics.length ? [{ group: 'Clinics', items: clinics.map((c) => ({ value: `clinic:${c.id}`, label: `${c.name} · ${c.site}` })) }] : []),
              ...(colleagues.length ? [{ group: 'Colleagues', items: colleagues.map((u) => ({ value: `clinician:${u.id}`, label: u.displayName })) }] : []),
            ]}
            value={who}
            onChange={(v) => setWho(v ?? ME)}
            allowDeselect={false}
          />
          <SegmentedControl aria-label="View" data={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week' }]} value={view} onChange={(v) => setView(v as 'day' | 'week')} />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (typedIso) moveTo(typedIso);
            }}
          >
            <Group gap="xs" align="flex-end">
              <TextInput label="Date" description="DD/MM/YYYY, then Enter" w={150} autoComplete="off" value={typedDate} onChange={(e) => setTypedDate(e.currentTarget.value)} error={typedDate.trim() && !typedIso ? 'Enter a real date' : undefined} />
              <Button type="submit" variant="default">Go</Button>
            </Group>
          </form>
          <Button variant="default" onClick={() => moveTo(addDays(date, -step))}>{view === 'day' ? 'Previous day' : 'Previous week'}</Button>
          <Button variant="default" onClick={() => moveTo(todayIso())}>Today</Button>
          <Button variant="default" onClick={() => moveTo(addDays(date, step))}>{view === 'day' ? 'Next day' : 'Next week'}</Button>
        </Group>
      </Paper>
      {failure && <Alert color="red" role="alert" mb="md">{failure}</Alert>}
      {notice && (
        <Alert color="teal" role="status" mb="md" withCloseButton closeButtonLabel="Close message" onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {view === 'day' && day && (
        day.appointments.length === 0 ? (
          <Text c="gray.8">Nothing booked {clinic ? `in ${clinic.name} ` : ''}on {formatUkDate(day.date)}.</Text>
        ) : (
          <DayTable rows={day.appointments} showClinician={clinic !== null} clinical={!clerk} onRecord={record} onChange={(row, mode) => setChanging({ row, mode })} />
        )
      )}
      {view === 'week' && week && (
        <WeekGrid
          week={week}
          onOpenDay={(d) => {
            moveTo(d);
            setView('day');
          }}
        />
      )}
      {booking && (
        <BookDialog
          opened
          clinics={clinics}
          colleagues={colleagues}
          forOthersOnly={clerk}
          defaults={{ date, clinicId: clinic?.id ?? null, clinicianId: colleague?.id ?? null }}
          onClose={() => setBooking(false)}
          onSaved={(a) => {
            setBooking(false);
            setNotice(`Booked for ${formatUkDate(a.date)} at ${a.startTime}.`);
            void load();
          }}
        />
      )}
      {editingClinic && (
        <ClinicDialog
          {...(editingClinic === 'new' ? {} : { clinic: editingClinic })}
          onClose={() => setEditingClinic(null)}
          onSaved={(c) => {
            setNotice(`${c.name} ${editingClinic === 'new' ? 'added' : 'saved'}: ${weekdayName(c.weekday)}s ${c.startTime}–${c.endTime} at ${c.site}.`);
            setEditingClinic(null);
            void loadClinics();
          }}
        />
      )}
      {changing && (
        <ChangeBookingDialog
          mode={changing.mode}
          appointment={changing.row.appointment}
          patientName={patientName(changing.row.patient)}
          onClose={() => setChanging(null)}
          onSaved={() => {
            setNotice(changing.mode === 'cancel' ? `Appointment cancelled for ${patientName(changing.row.patient)}.` : `Appointment moved for ${patientName(changing.row.patient)}.`);
            setChanging(null);
            void load();
          }}
        />
      )}
    </div>
  );
}
