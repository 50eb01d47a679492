import { Box, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { memo, useEffect, useMemo, useRef } from 'react';
import type { MeasureScore, Outcomes } from '../../../../shared/outcomes';
import { answersFor, applyKey, move, typeInto, type EntryInstrument, type EntryItem, type EntryState } from './keyboardEntry';
import { LiveResult, resultWords } from './LiveResult';

export interface LiveScore {
  instrument: EntryInstrument;
  score: MeasureScore | null;
  words: string;
}

/** Scores what has been typed so far with the service's engine; an entry the engine rejects has no score yet. */
export function liveScores(outcomes: Outcomes, instruments: readonly EntryInstrument[], state: EntryState, firstTotals: Record<string, number>, problemDescriptor: string | null): LiveScore[] {
  return instruments.map((ins) => {
    const answers = answersFor(state, ins);
    let score: MeasureScore | null = null;
    try {
      score = outcomes.scoreMeasure(ins.id, answers, { problemDescriptor });
    } catch {
      score = null;
    }
    const answered = ins.mode === 'items' ? (state.answers[ins.id] ?? []).filter((a) => a !== undefined).length : answers[0] === null ? 0 : 1;
    const of = ins.mode === 'items' ? ins.items.length : 1;
    const words = ins.mode === 'total' && answered === 0 ? 'Type the total.' : resultWords(outcomes, score, firstTotals[ins.id] ?? null, { answered, of });
    return { instrument: ins, score, words };
  });
}

/**
 * The keyboard-first questionnaire: one focusable area; digits answer the current item and move on, across
 * instruments; score-entry instruments take their total in a field. The result line of each instrument is
 * recomputed by the engine on every key.
 */
export function MeasureEntry({
  instruments,
  state,
  onChange,
  onSave,
  live,
  saving,
  saveLabel = 'Save measures',
}: {
  instruments: EntryInstrument[];
  state: EntryState;
  onChange: (s: EntryState) => void;
  onSave: () => void;
  live: LiveScore[];
  saving: boolean;
  saveLabel?: string;
}) {
  const areaRef = useRef<HTMLDivElement>(null);
  const totalRefs = useRef<Record<string, HTMLInputElement | null>>({});
  const current = instruments[state.cursor.instrument];
  const currentItem = current?.mode === 'items' ? current.items[state.cursor.item] : undefined;
  const fieldKey = current?.mode === 'total' ? current.id : currentItem?.range ? `${current!.id}:${state.cursor.item}` : null;

  // A field (a total, or a number item) takes the focus when the cursor reaches it; otherwise the entry area has it.
  useEffect(() => {
    if (fieldKey) totalRefs.current[fieldKey]?.focus();
    else if (areaRef.current && document.activeElement?.tagName === 'INPUT' && areaRef.current.contains(document.activeElement)) areaRef.current.focus();
    else if (areaRef.current && !areaRef.current.contains(document.activeElement)) areaRef.current.focus();
  }, [fieldKey]);
  useEffect(() => {
    areaRef.current?.focus();
  }, []);
  // Rows act through stable callbacks that read the latest state, so a key press re-renders only the rows whose
  // answer, text or cursor changed (a session can show well over a hundred answer buttons).
  const stateRef = useRef(state);
  stateRef.current = state;
  const rowActions = useMemo<RowActions>(
    () => ({
      answer(i, j, value) {
        const latest = stateRef.current;
        const id = instruments[i]!.id;
        const list = [...(latest.answers[id] ?? [])];
        list[j] = value;
        onChange({ ...latest, answers: { ...latest.answers, [id]: list }, cursor: move(instruments, { instrument: i, item: j }, 1) });
        areaRef.current?.focus();
      },
      type(i, j, text) {
        onChange(typeInto(stateRef.current, instruments[i]!, j, text));
      },
      focus(i, j) {
        const latest = stateRef.current;
        if (latest.cursor.instrument !== i || latest.cursor.item !== j) onChange({ ...latest, cursor: { instrument: i, item: j } });
      },
      registerInput(key, el) {
        totalRefs.current[key] = el;
      },
    }),
    [instruments, onChange],
  );

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const inTotal = (e.target as HTMLElement).tagName === 'INPUT';
    if (inTotal) {
      const value = (e.target as HTMLInputElement).value;
      if (e.key === 'Enter') {
        e.preventDefault();
        onChange({ ...state, cursor: move(instruments, state.cursor, 1) });
      } else if (e.key === 'Backspace' && value === '') {
        e.preventDefault();
        onChange(applyKey(state, 'Backspace', instruments).state);
      }
      return;
    }
    const r = applyKey(state, e.key, instruments);
    if (!r.handled) return;
    e.preventDefault();
    if (r.save) onSave();
    else onChange(r.state);
  };

  return (
    <Box
      ref={areaRef}
      tabIndex={0}
      role="group"
      aria-label="Measures: type one key per item; Backspace goes back, s skips, Enter saves"
      onKeyDown={onKeyDown}
      style={{ outline: 'none' }}
      data-testid="measure-entry"
    >
      <Stack gap="sm">
        {instruments.map((ins, i) => {
          const l = live[i]!;
          const alert = (l.score?.riskFlags.length ?? 0) > 0;
          return (
            <Paper key={ins.id} withBorder p="sm" bg={state.cursor.instrument === i ? 'nhsBlue.0' : undefined}>
              <Group justify="space-between" mb={4} wrap="nowrap">
                <Title order={3} size="h5">{ins.title}</Title>
                <LiveResult id={ins.id} words={l.words} tone={alert ? 'alert' : 'neutral'} />
              </Group>
              {ins.mode === 'total' ? (
                <TextInput
                  ref={(el) => {
                    totalRefs.current[ins.id] = el;
                  }}
                  label={ins.label}
                  description={ins.min !== undefined ? `${ins.min}–${ins.max}${ins.id === 'hba1c' ? ' mmol/mol, or a % such as 7.5%' : ''}; Enter to go on` : undefined}
                  inputMode="decimal"
                  autoComplete="off"
                  w={220}
                  value={state.totals[ins.id] ?? ''}
                  onChange={(e) => onChange({ ...state, totals: { ...state.totals, [ins.id]: e.currentTarget.value } })}
                  onFocus={() => {
                    if (state.cursor.instrument !== i) onChange({ ...state, cursor: { instrument: i, item: 0 } });
                  }}
                />
              ) : (
                <Stack gap={2}>
                  {ins.items.map((item, j) => (
                    <ItemRow
                      key={item.id}
                      instrumentIndex={i}
                      itemIndex={j}
                      instrumentId={ins.id}
                      instrumentTitle={ins.title}
                      item={item}
                      answer={state.answers[ins.id]?.[j]}
                      typed={state.texts?.[`${ins.id}:${j}`]}
                      here={state.cursor.instrument === i && state.cursor.item === j}
                      rows={rowActions}
                    />
                  ))}
                </Stack>
              )}
            </Paper>
          );
        })}
        <Group justify="space-between">
          <Text size="sm" c="gray.8">{state.cursor.instrument >= instruments.length ? 'All items entered: press Enter to save.' : 'Digits answer; s skips; n not applicable (where allowed); Backspace goes back.'}</Text>
          <Button onClick={onSave} loading={saving}>{saveLabel}</Button>
        </Group>
      </Stack>
    </Box>
  );
}

interface RowActions {
  answer(instrument: number, item: number, value: number): void;
  type(instrument: number, item: number, text: string): void;
  focus(instrument: number, item: number): void;
  registerInput(key: string, el: HTMLInputElement | null): void;
}

/** One item's row: re-rendered only when its own answer, typed text or the cursor on it changes. */
const ItemRow = memo(function ItemRow({
  instrumentIndex,
  itemIndex,
  instrumentId,
  instrumentTitle,
  item,
  answer,
  typed,
  here,
  rows,
}: {
  instrumentIndex: number;
  itemIndex: number;
  instrumentId: string;
  instrumentTitle: string;
  item: EntryItem;
  answer: EntryState['answers'][string][number] | undefined;
  typed: string | undefined;
  here: boolean;
  rows: RowActions;
}) {
  return (
    <Group gap="xs" wrap="nowrap" aria-current={here ? 'step' : undefined} bg={here ? 'nhsBlue.1' : undefined} px={4} style={{ borderRadius: 4 }}>
      <Text size="sm" w={24} ta="right" fw={600}>{itemIndex + 1}</Text>
      <Text size="sm" style={{ flex: 1 }} lineClamp={1} title={item.text}>{item.text}</Text>
      {item.range && (
        <TextInput
          ref={(el) => rows.registerInput(`${instrumentId}:${itemIndex}`, el)}
          aria-label={`${instrumentTitle} item ${itemIndex + 1}: ${item.text}`}
          size="xs"
          w={110}
          inputMode="numeric"
          autoComplete="off"
          placeholder={item.naAllowed ? 'number or n' : 'number'}
          value={typed ?? ''}
          onChange={(e) => rows.type(instrumentIndex, itemIndex, e.currentTarget.value)}
          onFocus={() => rows.focus(instrumentIndex, itemIndex)}
        />
      )}
      <Group gap={2} wrap="nowrap">
        {item.options.map((o) => (
          <Button
            key={o.value}
            size="compact-xs"
            variant={answer === o.value ? 'filled' : 'default'}
            aria-pressed={answer === o.value}
            aria-label={`${o.value} ${o.label}, ${instrumentTitle} item ${item.id}`}
            tabIndex={-1}
            onClick={() => rows.answer(instrumentIndex, itemIndex, o.value)}
          >
            {o.value}
          </Button>
        ))}
        <Text size="xs" w={28} ta="center" c="gray.8">{answer === null ? 'skip' : answer === 'na' ? 'n/a' : ''}</Text>
      </Group>
    </Group>
  );
});
