import { Alert, Box, Button, Center, Group, Loader, Paper, Progress, Radio, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract/contract';
import type { PatientAnswer, PatientModeView } from '../../../../shared/contract/patientMode';
import { api } from '../../lib/api';
import { errorMessage } from '../../lib/errors';
import { ExitPatientMode } from './ExitPatientMode';
import { optionForKey } from './patientModeRules';

/**
 * Locked patient mode (issue #10 item 5): the whole window is one question at a time, large and plain — no
 * header, no navigation, nothing about the patient or anyone else. Digits pick an answer, Enter moves on,
 * Backspace goes back a question. Only the clinician's passphrase leaves.
 */
export function PatientModeScreen({ onExited }: { onExited: (result: MethodOutput<'patientMode.exit'>) => void }) {
  const [view, setView] = useState<PatientModeView | null>(null);
  const [choice, setChoice] = useState<PatientAnswer | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [exiting, setExiting] = useState(false);
  const questionRef = useRef<HTMLDivElement>(null);

  const show = useCallback((next: PatientModeView) => {
    setView(next);
    setChoice(next.stage === 'question' ? next.answer : null);
    setFailure(null);
  }, []);
  const run = useCallback(
    async (call: () => Promise<PatientModeView>) => {
      setBusy(true);
      try {
        show(await call());
      } catch (err) {
        setFailure(errorMessage(err));
      } finally {
        setBusy(false);
      }
    },
    [show],
  );
  useEffect(() => {
    void run(() => api['patientMode.current']({}));
  }, [run]);

  const question = view?.stage === 'question' ? view : null;
  const next = useCallback(() => {
    if (!question || busy) return;
    if (choice === null) {
      setFailure('Choose an answer first.');
      return;
    }
    void run(() => api['patientMode.answer']({ questionnaireNumber: question.questionnaireNumber, itemNumber: question.itemNumber, value: choice }));
  }, [question, choice, busy, run]);
  const back = useCallback(() => {
    if (question && question.itemNumber > 1 && !busy) void run(() => api['patientMode.back']({}));
  }, [question, busy, run]);

  // Each new question takes the focus, so a screen reader reads "Question 3 of 9" and the question itself.
  const position = question ? `${question.questionnaireNumber}:${question.itemNumber}` : view?.stage;
  useEffect(() => {
    if (!exiting) questionRef.current?.focus();
  }, [position, exiting]);

  useEffect(() => {
    if (!question || exiting) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target as HTMLElement;
      if (target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'radio')) return;
      const picked = optionForKey(question, e.key);
      if (picked !== null) {
        e.preventDefault();
        setChoice(picked);
        setFailure(null);
      } else if (e.key === 'Enter' && target.tagName !== 'BUTTON') {
        // On a button, Enter presses that button instead.
        e.preventDefault();
        next();
      } else if (e.key === 'Backspace') {
        e.preventDefault();
        back();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [question, exiting, next, back]);

  let body;
  if (!view) {
    body = failure ? <Alert color="red" role="alert">{failure}</Alert> : <Loader aria-label="Opening the questions" />;
  } else if (exiting) {
    body = (
      <Stack gap="md">
        <Title order={1} size="h2">For the clinician</Title>
        <Text size="lg">Enter your passphrase to end the questionnaires. Answers to a questionnaire not finished are not kept.</Text>
        <ExitPatientMode onExited={onExited} onCancel={() => setExiting(false)} />
      </Stack>
    );
  } else if (view.stage === 'finished') {
    body = (
      <Stack gap="md" ref={questionRef} tabIndex={-1} style={{ outline: 'none' }}>
        <Title order={1}>Thank you</Title>
        <Text fz={24}>You have answered all the questions. Please hand the laptop back to your clinician.</Text>
        <Box mt="lg">
          <ExitPatientMode onExited={onExited} />
        </Box>
      </Stack>
    );
  } else {
    const q = view;
    const last = q.itemNumber === q.itemCount;
    body = (
      <Stack gap="lg">
        <Group justify="space-between">
          <Text size="lg" c="gray.8">
            {q.title} · questionnaire {q.questionnaireNumber} of {q.questionnaireCount}
          </Text>
          <Progress value={(100 * (q.itemNumber - 1)) / q.itemCount} w={220} size="lg" aria-label={`${q.itemNumber - 1} of ${q.itemCount} questions answered`} />
        </Group>
        <div ref={questionRef} tabIndex={-1} aria-labelledby="patient-question-number patient-question-text" role="group" style={{ outline: 'none' }}>
          <Title order={1} id="patient-question-number" size="h2" aria-live="polite">
            Question {q.itemNumber} of {q.itemCount}
          </Title>
          {q.instructions && <Text size="lg" mt="xs" c="gray.8">{q.instructions}</Text>}
          <Text id="patient-question-text" fz={30} fw={600} lh={1.3} mt="md">{q.text}</Text>
        </div>
        <Radio.Group
          value={choice === null ? null : String(choice)}
          onChange={(v) => {
            setChoice(v === 'na' ? 'na' : Number(v));
            setFailure(null);
          }}
          aria-labelledby="patient-question-text"
        >
          <Stack gap="sm">
            {q.options.map((o) => (
              <Paper key={String(o.value)} withBorder p="md" radius="md" bg={choice === o.value ? 'nhsBlue.0' : undefined}>
                <Radio
                  value={String(o.value)}
                  size="lg"
                  styles={{ body: { alignItems: 'center' } }}
                  label={
                    <Text fz={24}>
                      <Text span fz={20} c="gray.8" mr="sm" aria-hidden>{o.value === 'na' ? 'n' : o.value}</Text>
                      {o.label}
                    </Text>
                  }
                />
              </Paper>
            ))}
          </Stack>
        </Radio.Group>
        {failure && <Alert color="red" role="alert">{failure}</Alert>}
        <Group justify="space-between">
          <Button variant="default" size="lg" onClick={back} disabled={q.itemNumber === 1 || busy}>Previous question</Button>
          <Button size="lg" onClick={next} loading={busy}>{last ? 'Finish this questionnaire' : 'Next question'}</Button>
        </Group>
        <Text size="md" c="gray.8">Press the number of your answer, then Enter.</Text>
      </Stack>
    );
  }

  return (
    <Center mih="100vh" bg="gray.1" component="main" p="md">
      <Stack w={880} maw="100%" gap="xs">
        <Paper withBorder shadow="sm" p="xl" radius="md">{body}</Paper>
        {view && !exiting && view.stage === 'question' && (
          <Group justify="flex-end">
            <Button variant="subtle" color="dark" size="xs" onClick={() => setExiting(true)}>Clinician: end questionnaires</Button>
          </Group>
        )}
      </Stack>
    </Center>
  );
}
