import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderLetterPdf, type LetterLayout } from '../../../electron/services/pdf/letterPdf';

const layout: LetterLayout = {
  from: ['Diabetes clinic, Lister Hospital', 'Priya Shah'],
  date: '23/11/2026',
  to: ['Dr Amara Okafor', 'Oakfield Practice'],
  regarding: ['Re: Zoë Ní Bhriain, born 19/09/1962, NHS number 999 014 6209'],
  body: 'Dear Doctor,\n\nŁukasz Wójcik, Siobhán Ó Súilleabháin and Zoë Ní Bhriain: PHQ-9 18 → 6 (≥ 10).',
  footer: 'Confidential',
  title: 'Letter: Discharge',
};

async function read(bytes: Uint8Array): Promise<{ pages: number; text: string; info: Record<string, unknown> }> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { totalPages, text } = await extractText(pdf, { mergePages: true });
  const { info } = await pdf.getMetadata();
  return { pages: totalPages, text: text.replace(/\s+/g, ' '), info: info as Record<string, unknown> };
}

describe('a letter as a PDF (pdf-lib, DejaVu Sans embedded)', () => {
  it('prints names outside WinAnsi as written, and symbols the scores use', async () => {
    const { pages, text } = await read(await renderLetterPdf(layout, new Date('2026-11-23T10:00:00Z')));
    expect(pages).toBe(1);
    for (const s of ['Łukasz Wójcik', 'Siobhán Ó Súilleabháin', 'Zoë Ní Bhriain', '18 → 6 (≥ 10)', 'Dr Amara Okafor', 'Re: Zoë Ní Bhriain, born 19/09/1962', 'Confidential · page 1 of 1']) {
      expect(text).toContain(s);
    }
  });

  it('keeps patient data out of the metadata', async () => {
    const { info } = await read(await renderLetterPdf(layout, new Date('2026-11-23T10:00:00Z')));
    expect(info.Title).toBe('Letter: Discharge');
    expect(JSON.stringify(info)).not.toMatch(/Zoë|Bhriain|999 014/);
  });

  it('wraps long paragraphs, breaks a word too wide for the line, runs over pages and numbers them', async () => {
    const long = `${'The sessions focused on worry about hypoglycaemia at night and the avoidance that kept it going. '.repeat(60)}\n\n${'x'.repeat(300)}`;
    const { pages, text } = await read(await renderLetterPdf({ ...layout, body: long }, new Date()));
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`page ${pages} of ${pages}`);
    expect(text.replace(/ /g, '')).toContain('x'.repeat(300));
  });

  it('drops control characters (a tab becomes spaces) rather than failing half way through a letter', async () => {
    const { text } = await read(await renderLetterPdf({ ...layout, body: 'Plan:\tweekly\u0007 sessions\r\nthen review.' }, new Date()));
    expect(text).toContain('Plan: weekly sessions then review.');
  });
});
