import { Alert, Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { LETTER_KIND_LABELS, LETTER_KINDS, LETTER_RECIPIENT_LABELS, LETTER_RECIPIENTS, type Letter, type LetterKind, type LetterRecipient } from '../../../../shared/contract/letters';
import type { ReferralDetail } from '../../../../shared/contract/referrals';
import { formatUkDate } from '../../../../shared/domain/dates';
import { api } from '../../lib/api';
import { errorMessage, fieldErrors } from '../../lib/errors';
import { PatientHeader } from '../patient/PatientHeader';
import { LetterEditor } from './LetterEditor';

/** The kind of letter the episode most likely needs next: the clinician can pick any other. */
function suggestedKind(detail: ReferralDetail): LetterKind {
  if (detail.referral.status === 'discharged') return 'discharge';
  if (detail.contacts.some((c) => c.attendance === 3)) return 'dna';
  if (detail.contacts.some((c) => c.type === 'assessment' && (c.attendance === 5 || c.attendance === 6))) return 'assessment';
  return 'opt-in-failure';
}

export function letterState(l: Letter): { label: string; color: string } {
  if (l.supersededById) return { label: 'Superseded', color: 'gray' };
  if (l.status === 'draft') return { label: 'Draft', color: 'yellow' };
  if (l.sentOn) return { label: `Sent ${formatUkDate(l.sentOn)}`, color: 'teal' };
  return { label: 'Final, not sent', color: 'nhsBlue' };
}

/**
 * Letters for one episode (issue #10 §4): draft one from the record, edit it, finalise it, export it as a PDF and
 * record when it was sent and to whom. Entered from the episode screen.
 */
export function LettersPage({ referralId }: { referralId: string }) {
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [letters, setLetters] = useState<Letter[] | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [kind, setKind] = useState<LetterKind | null>(null);
  const [recipient, setRecipient] = useState<LetterRecipient>('gp');
  const [draftProblem, setDraftProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editor = useRef<HTMLDivElement>(null);
  // At 1366x768 the opened letter is below the list: bring it into view when another letter is opened.
  useEffect(() => {
    if (openId) editor.current?.scrollIntoView({ block: 'start' });
  }, [openId]);

  const loadLetters = useCallback(async () => {
    setLetters((await api['letters.list']({ referralId })).letters);
  }, [referralId]);
  useEffect(() => {
    (async () => {
      const d = await api['referrals.get']({ id: referralId });
      setDetail(d);
      setKind(suggestedKind(d));
      await loadLetters();
    })().catch((err: unknown) => setFailure(errorMessage(err)));
  }, [referralId, loadLetters]);

  if (failure) return <Alert color="red" role="alert">{failure}</Alert>;
  if (!detail || !letters || !kind) return <Text>Loading…</Text>;
  const open = letters.find((l) => l.id === openId) ?? null;

  const draft = async () => {
    setDraftProblem(null);
    setBusy(true);
    try {
      const made = await api['letters.draft']({ referralId, kind, recipient });
      await loadLetters();
      setOpenId(made.id);
    } catch (err) {
      const fields = fieldErrors(err);
      setDraftProblem(Object.values(fields)[0] ?? errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <PatientHeader patient={detail.patient} back={{ view: 'episode', referralId }} backLabel="Referral" title="Letters" />

      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">New letter</Title>
        <Text size="sm" c="gray.8" mb="sm">Filled from the record: condition, presenting problem, first and last scores with their meaning, plan and signposting. You edit it before it is final.</Text>
        <Group align="flex-end">
          <NativeSelect label="Letter" value={kind} onChange={(e) => setKind(e.currentTarget.value as LetterKind)} data={LETTER_KINDS.map((k) => ({ value: k, label: LETTER_KIND_LABELS[k] }))} w={260} />
          <NativeSelect label="To" value={recipient} onChange={(e) => setRecipient(e.currentTarget.value as LetterRecipient)} data={LETTER_RECIPIENTS.map((r) => ({ value: r, label: LETTER_RECIPIENT_LABELS[r] }))} w={160} />
          <Button onClick={() => void draft()} loading={busy}>Draft from the record</Button>
        </Group>
        {draftProblem && <Alert color="red" role="alert" mt="sm">{draftProblem}</Alert>}
      </Paper>

      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">Letters for this referral</Title>
        {letters.length === 0 ? (
          <Text c="gray.8">No letters yet.</Text>
        ) : (
          <Table aria-label="Letters" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Letter</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th><VisuallyHidden>Open</VisuallyHidden></Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {letters.map((l) => {
                const state = letterState(l);
                return (
                  <Table.Tr key={l.id} aria-current={l.id === openId ? 'true' : undefined}>
                    <Table.Td>{formatUkDate(l.createdAt.slice(0, 10))}</Table.Td>
                    <Table.Td>{LETTER_KIND_LABELS[l.kind]}</Table.Td>
                    <Table.Td>{LETTER_RECIPIENT_LABELS[l.recipient]}: {l.recipientName.split('\n')[0]}</Table.Td>
                    <Table.Td>{l.letterVersion}</Table.Td>
                    <Table.Td><Badge variant="light" color={state.color} c="dark.9">{state.label}</Badge></Table.Td>
                    <Table.Td>
                      <Button size="xs" variant={l.id === openId ? 'filled' : 'light'} onClick={() => setOpenId(l.id)} aria-label={`Open ${LETTER_KIND_LABELS[l.kind]} letter version ${l.letterVersion} to ${LETTER_RECIPIENT_LABELS[l.recipient]}`}>
                        Open
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <div ref={editor} style={{ scrollMarginTop: 72 }}>
        {open && (
          <LetterEditor
            key={`${open.id}-${open.version}`}
            letter={open}
            patient={detail.patient}
            team={detail.referral.team}
            onChanged={async (changed) => {
              await loadLetters();
              setOpenId(changed.id);
            }}
          />
        )}
      </div>
    </Stack>
  );
}
