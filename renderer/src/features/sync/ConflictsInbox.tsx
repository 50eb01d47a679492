import { Alert, Badge, Button, Group, Paper, Radio, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { SyncConflict } from '../../../../shared/contract/sync';
import { api } from '../../lib/api';
import { errorMessage, showSaveError } from '../../lib/errors';
import { formatInstant } from '../../lib/format';
import { readableBadge } from './syncWords';
import { refreshSyncStatus } from './useSyncStatus';

type Value = SyncConflict['mine']['fields'][string];
/** A column as a person reads it: gp_practice → "GP practice". */
const ACRONYMS: Record<string, string> = { nhs: 'NHS', gp: 'GP', ltc: 'LTC', phq9: 'PHQ-9', gad7: 'GAD-7', id: 'ID' };
function fieldLabel(column: string): string {
  const words = column.split('_').map((w) => ACRONYMS[w] ?? w);
  const first = words[0] ?? '';
  return [first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1), ...words.slice(1)].join(' ');
}
const shown = (v: Value | undefined) => (v === null || v === undefined || v === '' ? '(empty)' : String(v));

const KIND_WORDS: Record<SyncConflict['kind'], string> = {
  document: 'Both edited the same document',
  'high-risk': 'A high-risk field changed on both sides',
  field: 'The same field changed on both sides',
  refused: 'The team server refused this change',
};

/**
 * The conflicts inbox (issue #9 §3, DESIGN §5.3–5.4): nothing was overwritten; each conflict shows the team's
 * record beside yours, with who and when, and closes only with an explicit, audited "Save merged version".
 */
export function ConflictsInbox({ focusRowId }: { focusRowId?: string | undefined }) {
  const [conflicts, setConflicts] = useState<SyncConflict[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      const open = await api['sync.conflicts']({ status: 'open' });
      setConflicts(open);
      setSelected((current) => current ?? open.find((c) => c.rowId === focusRowId)?.id ?? open[0]?.id ?? null);
    } catch (err) {
      setFailure(errorMessage(err));
    }
  }, [focusRowId]);
  useEffect(() => void load(), [load]);
  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!conflicts) return <Text>Loading conflicts…</Text>;
  const current = conflicts.find((c) => c.id === selected) ?? null;
  return (
    <Stack gap="md">
      {saved && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setSaved(null)} closeButtonLabel="Dismiss">
          {saved}
        </Alert>
      )}
      {conflicts.length === 0 ? (
        <Text c="gray.8">No conflicts to resolve: your changes and the team's record agree.</Text>
      ) : (
        <Table highlightOnHover aria-label="Conflicts to resolve">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Patient</Table.Th>
              <Table.Th>Record</Table.Th>
              <Table.Th>What happened</Table.Th>
              <Table.Th>Found</Table.Th>
              <Table.Th>
                <VisuallyHidden>Action</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {conflicts.map((c) => (
              <Table.Tr key={c.id} bg={c.id === selected ? 'blue.0' : undefined}>
                <Table.Td>{c.patientName}</Table.Td>
                <Table.Td>{c.label}</Table.Td>
                <Table.Td>{KIND_WORDS[c.kind]}</Table.Td>
                <Table.Td>{formatInstant(c.createdAt)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant={c.id === selected ? 'filled' : 'default'} onClick={() => setSelected(c.id)} aria-label={`Resolve ${c.label} for ${c.patientName}`}>
                    Resolve
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {current && (
        <ConflictMerge
          key={current.id}
          conflict={current}
          onResolved={async (c) => {
            setSaved(`Merged version of the ${c.label.toLowerCase()} for ${c.patientName} saved; it reaches the team at the next sync.`);
            setSelected(null);
            await load();
            await refreshSyncStatus();
          }}
          onSetAside={async (c) => {
            setSaved(`The refused change to ${c.patientName}'s record was set aside. It is no longer on this laptop.`);
            setSelected(null);
            await load();
            await refreshSyncStatus();
          }}
        />
      )}
    </Stack>
  );
}

function Side({ title, side, fields }: { title: string; side: SyncConflict['mine']; fields: string[] }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Text fw={700}>{title}</Text>
      <Text size="sm" c="gray.8" mb="xs">
        {side.byName ?? 'Unknown clinician'} · {formatInstant(side.at)}
      </Text>
      {fields.map((f) => (
        <div key={f}>
          {fields.length > 1 && (
            <Text size="xs" fw={700} c="gray.8">
              {fieldLabel(f)}
            </Text>
          )}
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {shown(side.fields[f])}
          </Text>
        </div>
      ))}
    </Paper>
  );
}

/** One conflict: both versions side by side; per field a choice, or for a document an edited merged text. */
function ConflictMerge({ conflict, onResolved, onSetAside }: { conflict: SyncConflict; onResolved: (c: SyncConflict) => Promise<void>; onSetAside: (c: SyncConflict) => Promise<void> }) {
  if (conflict.kind === 'refused') return <RefusedChange conflict={conflict} onSetAside={onSetAside} />;
  return <MergeForm conflict={conflict} onResolved={onResolved} />;
}

/**
 * A change the server refused for good has nothing to merge with: it is shown and kept until the clinician, having
 * copied what they need, sets it aside (a second, explicit step, because it then leaves this laptop).
 */
function RefusedChange({ conflict, onSetAside }: { conflict: SyncConflict; onSetAside: (c: SyncConflict) => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const setAside = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await api['sync.setAsideRefused']({ id: conflict.id, confirm: 'set this refused change aside' });
      await onSetAside(conflict);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="refused-title">
      <Title order={2} size="h4" id="refused-title" mb="sm">
        {conflict.label} · {conflict.patientName}
      </Title>
      <Text size="sm" mb="sm">
        The team server refused this change: the record is outside your caseload or role, or the note was already
        signed. It stays on this laptop, unsent. Copy what you need into a record you may change, or ask your
        supervisor to record it; then set it aside.
      </Text>
      <Side title="Your change" side={conflict.mine} fields={conflict.fields} />
      {failure && <Alert color="red" role="alert" mt="sm">{failure}</Alert>}
      <Group justify="flex-end" mt="sm">
        {confirming ? (
          <>
            <Text size="sm" fw={700}>Set it aside? What it says will no longer be on this laptop.</Text>
            <Button variant="default" onClick={() => setConfirming(false)}>Keep it</Button>
            <Button color="red.9" onClick={() => void setAside()} loading={busy}>Set aside</Button>
          </>
        ) : (
          <Button variant="default" onClick={() => setConfirming(true)}>I have copied what I need…</Button>
        )}
      </Group>
    </Paper>
  );
}

function MergeForm({ conflict, onResolved }: { conflict: SyncConflict; onResolved: (c: SyncConflict) => Promise<void> }) {
  const isDocument = conflict.kind === 'document';
  const [choice, setChoice] = useState<Record<string, 'theirs' | 'mine'>>(() => Object.fromEntries(conflict.fields.map((f) => [f, 'theirs'])));
  const [merged, setMerged] = useState(() => String(conflict.mine.fields[conflict.fields[0] ?? 'body'] ?? ''));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBanner(null);
    const fields: Record<string, Value> = isDocument
      ? { [conflict.fields[0] ?? 'body']: merged }
      : Object.fromEntries(conflict.fields.map((f) => [f, (choice[f] === 'mine' ? conflict.mine : conflict.theirs).fields[f] ?? null]));
    if (isDocument && !merged.trim()) {
      setErrors({ merged: 'Write the merged text, or copy one version into it' });
      return;
    }
    setBusy(true);
    try {
      const resolved = await api['sync.resolveConflict']({ id: conflict.id, version: conflict.version, fields, ...(note.trim() ? { note: note.trim() } : {}) });
      await onResolved(resolved);
    } catch (err) {
      showSaveError(err, setErrors, setBanner);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="merge-title">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="merge-title">
          {conflict.label} · {conflict.patientName}
        </Title>
        <Badge {...readableBadge('red')}>
          {KIND_WORDS[conflict.kind]}
        </Badge>
      </Group>
      <SimpleGrid cols={2} mb="md">
        <Side title="The team's record" side={conflict.theirs} fields={conflict.fields} />
        <Side title="Your version" side={conflict.mine} fields={conflict.fields} />
      </SimpleGrid>
      <Stack gap="sm">
        {isDocument ? (
          <>
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={() => setMerged(String(conflict.theirs.fields[conflict.fields[0] ?? 'body'] ?? ''))}>
                Start from the team's text
              </Button>
              <Button size="xs" variant="default" onClick={() => setMerged(String(conflict.mine.fields[conflict.fields[0] ?? 'body'] ?? ''))}>
                Start from your text
              </Button>
            </Group>
            <Textarea label="Merged text" description="What the record will say: both versions stay in its history." autosize minRows={4} maxRows={12} value={merged} onChange={(e) => setMerged(e.currentTarget.value)} error={errors.merged ?? errors.fields} />
          </>
        ) : (
          conflict.fields.map((f) => (
            <Radio.Group key={f} label={`Keep which ${fieldLabel(f).toLowerCase()}?`} value={choice[f]} onChange={(v) => setChoice({ ...choice, [f]: v as 'theirs' | 'mine' })} error={errors[`fields.${f}`]}>
              <Group mt={4}>
                <Radio value="theirs" label={`The team's: ${shown(conflict.theirs.fields[f])}`} />
                <Radio value="mine" label={`Yours: ${shown(conflict.mine.fields[f])}`} />
              </Group>
            </Radio.Group>
          ))
        )}
        <TextInput label="Why (optional, kept in the record's history)" value={note} maxLength={500} onChange={(e) => setNote(e.currentTarget.value)} error={errors.note} />
        {banner && (
          <Alert color="red" role="alert">
            {banner}
          </Alert>
        )}
        <Button onClick={save} loading={busy} style={{ alignSelf: 'flex-start' }}>
          Save merged version
        </Button>
      </Stack>
    </Paper>
  );
}
