import { readFileSync } from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

/**
 * A letter as a PDF, made with pdf-lib (never by hand). The text is set in DejaVu Sans, embedded and subset,
 * because the standard PDF fonts only cover WinAnsi: names such as Zoë Ní Bhriain or Łukasz must print as
 * written. Everything happens in memory; the caller writes the bytes to the chosen folder.
 */
export interface LetterLayout {
  /** Sender block, top right: service or team, clinician. */
  from: readonly string[];
  /** The date the letter carries, already formatted (en-GB). */
  date: string;
  /** Recipient block, top left. */
  to: readonly string[];
  /** "Re:" lines naming the patient (name, date of birth, NHS number). */
  regarding: readonly string[];
  /** The letter itself: paragraphs separated by blank lines, as the clinician finalised it. */
  body: string;
  /** Printed small at the foot of every page. */
  footer: string;
  /** PDF metadata title: no patient data (the file may be indexed by the desktop). */
  title: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const SIZE = 11;
const LEADING = 15;

let font: Uint8Array | null = null;
/** One face only: parsing and subsetting a font is most of a letter's cost. */
export function fontBytes(): Uint8Array {
  font ??= readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  return font;
}

/** Breaks one paragraph into lines that fit `width`, breaking inside a word only when the word alone is too wide. */
export function wrapLine(text: string, font: PDFFont, size: number, width: number): string[] {
  const fits = (s: string) => font.widthOfTextAtSize(s, size) <= width;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line)) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  lines.push(line);
  return lines;
}

/** Tabs and control characters have no glyph; they would make pdf-lib throw mid-letter. */
export function printable(text: string): string {
  return text.replace(/\t/g, '    ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export async function renderLetterPdf(layout: LetterLayout, createdAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(fontBytes(), { subset: true });
  doc.setTitle(layout.title);
  doc.setCreator('Clinic Caseload');
  doc.setProducer('Clinic Caseload (pdf-lib)');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);

  const width = A4[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const newPage = () => {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  };
  const write = (text: string, font: PDFFont = regular, x = MARGIN) => {
    if (y < MARGIN + LEADING) newPage();
    page.drawText(text, { x, y, size: SIZE, font, color: rgb(0.1, 0.1, 0.1) });
    y -= LEADING;
  };

  for (const line of layout.from) {
    const text = printable(line);
    write(text, regular, A4[0] - MARGIN - regular.widthOfTextAtSize(text, SIZE));
  }
  y -= LEADING;
  for (const line of layout.to) write(printable(line));
  y -= LEADING;
  write(printable(layout.date));
  y -= LEADING;
  for (const line of layout.regarding) for (const part of wrapLine(printable(line), regular, SIZE, width)) write(part);
  y -= LEADING;

  for (const paragraph of printable(layout.body).replace(/\r\n?/g, '\n').split('\n')) {
    if (paragraph.trim() === '') {
      y -= LEADING;
      continue;
    }
    for (const part of wrapLine(paragraph, regular, SIZE, width)) write(part);
  }

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const foot = printable(`${layout.footer} · page ${i + 1} of ${pages.length}`);
    p.drawText(foot, { x: MARGIN, y: MARGIN / 2, size: 8, font: regular, color: rgb(0.35, 0.35, 0.35) });
  });
  return doc.save();
}
