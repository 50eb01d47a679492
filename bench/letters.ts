import { renderLetterPdf } from '../electron/services/pdf/letterPdf';

/**
 * Making a letter's PDF (issue #10 §4): the export's cost is almost all font parsing and subsetting, paid on each
 * export. A typical discharge letter, one page; the first run (reading the font file) is left out.
 */
export async function lettersBench(): Promise<{ name: string; value: number; unit: string; note: string }[]> {
  const RUNS = 9;
  const layout = {
    from: ['Diabetes clinic, Lister Hospital', 'Priya Shah'],
    date: '23/11/2026',
    to: ['Dr Amara Okafor', 'Oakfield Practice', '12 Station Road, Watford'],
    regarding: ['Re: Zoë Ní Bhriain, born 19/09/1962, NHS number 999 014 6209'],
    body: ['Dear Doctor,', 'Zoë Ní Bhriain was discharged after 8 attended treatment sessions at step 3.', 'PHQ-9 (depression): first 18 on 14/10/2026 (moderately severe); last 6 on 03/11/2026 (mild).', ...Array(12).fill('The sessions focused on worry about hypoglycaemia at night and the avoidance that kept it going.')].join('\n\n'),
    footer: 'Confidential. Discharge letter, version 1',
    title: 'Letter: Discharge',
  };
  await renderLetterPdf(layout, new Date());
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await renderLetterPdf(layout, new Date());
    times.push(performance.now() - start);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  return [{ name: 'letters.pdf_ms', value: Number(median.toFixed(1)), unit: 'ms', note: `one-page discharge letter, DejaVu Sans embedded and subset (pdf-lib); median of ${RUNS} after a warm-up` }];
}
