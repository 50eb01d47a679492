import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import type { Note } from '../../../../shared/contract/notes';
import { useNavigation } from '../../app/navigation';
import { readableBadge } from '../sync/syncWords';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors } from '../../lib/errors';

function stamp(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The session note: a draft, then signed (blocked while a risk alert has no review); after signing only addenda. */
export function SessionNote({ referralId, contactId, note, signBlockedBy, onChanged }: { referralId: string; contactId: string; note: Note | null; signBlockedBy: string | null; onChanged: () => void }) {
  const [body, setBody] = useState(note?.status === 'draft' ? note.body : '');
  const [addendum, setAddendum] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const { go } = useNavigation();

  const run = async (what: () => Promise<unknown>, done: string) => {
    setProblem(null);
    setSaved(null);
    try {
      await what();
      setSaved(done);
      onChanged();
    } catch (err) {
      const fields = fieldErrors(err);
      setProblem(Object.keys(fields).length ? Object.entries(fields).map(([k, m]) => `${k === 'riskReview' ? 'Risk review' : k === 'body' ? 'Note' : k}: ${m}`).join(' ') : errorMessage(err));
    }
  };
  const saveDraft = () =>
    run(() => (note ? api['notes.update']({ id: note.id, version: note.version, body }) : api['notes.create']({ referralId, contactId, body })), 'Draft saved.');

  return (
    <Paper withBorder p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">Session note</Title>
        {note?.sync === 'pending' && (
          <Badge {...readableBadge('orange')}>
            {note.status === 'signed' ? 'Signed offline — not yet synced' : 'Not yet synced'}
          </Badge>
        )}
      </Group>
      {note?.sync === 'conflict' && (
        <Alert color="red" role="alert" mb="sm">
          <Text size="sm" fw={700}>Changed on another device too</Text>
          <Text size="sm" mb="xs">Both versions of this note are kept. Compare them and save a merged version.</Text>
          <Button size="xs" color="red.9" onClick={() => go({ view: 'sync', tab: 'conflicts' })}>Open the conflicts inbox</Button>
        </Alert>
      )}
      {note?.status === 'signed' ? (
        <Stack gap="xs">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{note.body}</Text>
          <Text size="xs" c="gray.8">Signed {stamp(note.signedAt!)} · {note.versions.length} versions kept</Text>
          {note.addenda.map((a) => (
            <Paper key={a.id} withBorder p="xs" bg="gray.0">
              <Text size="xs" c="gray.8">Addendum {stamp(a.at)}</Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{a.body}</Text>
            </Paper>
          ))}
          <Textarea label="Addendum" autosize minRows={2} value={addendum} onChange={(e) => setAddendum(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="light" disabled={!addendum.trim()} onClick={() => void run(() => api['notes.addendum']({ id: note.id, body: addendum }).then(() => setAddendum('')), 'Addendum added.')}>
              Add addendum
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="xs">
          <Textarea label="Note" description={note ? `Draft, version ${note.version}` : 'Not saved yet'} autosize minRows={4} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
          {signBlockedBy && <Text size="sm" c="red.9">{signBlockedBy}</Text>}
          <Group justify="flex-end">
            <Button variant="default" disabled={!body.trim()} onClick={() => void saveDraft()}>Save draft</Button>
            <Button
              disabled={!note || signBlockedBy !== null || body !== note.body}
              title={note && body !== note.body ? 'Save the draft before signing' : undefined}
              onClick={() => note && void run(() => api['notes.sign']({ id: note.id, version: note.version }), 'Note signed.')}
            >
              Sign note
            </Button>
          </Group>
        </Stack>
      )}
      {problem && <Alert color="red" role="alert" mt="sm">{problem}</Alert>}
      {saved && <Text size="sm" c="teal.9" role="status" mt="sm">{saved}</Text>}
    </Paper>
  );
}
