import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { BOX_GRID, BOX_KINDS, BOX_LABELS, describeFormulation, type BoxKind, type FormulationDiagram } from '../../../shared/domain/formulation';
import { fontBytes, printable, wrapLine } from './letterPdf';

/**
 * A formulation as a PDF to share with the patient: the diagram drawn with pdf-lib vector boxes and arrows (the
 * same six boxes, placed as on screen), then the same words as text — every box's items, each "X leads to Y" and
 * the maintaining cycles — so the page reads in order for a screen reader and copies as text. Landscape A4: the
 * diagram needs the width. Everything happens in memory; the caller writes the bytes to the chosen folder.
 */
export interface FormulationLayout {
  /** PDF metadata title: no patient data (the file may be indexed by the desktop). */
  title: string;
  /** Printed at the top: whose formulation, which version, saved when. */
  heading: readonly string[];
  diagram: FormulationDiagram;
  footer: string;
}

const A4_LANDSCAPE: [number, number] = [841.89, 595.28];
const MARGIN = 40;
const BOX_W = 220;
const BOX_H = 150;
const TEXT = rgb(0.1, 0.1, 0.1);
const LINE = rgb(0.2, 0.3, 0.5);

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Where a line from a box's centre towards (tx, ty) leaves its edge. */
function edgePoint(r: Rect, tx: number, ty: number): { x: number; y: number } {
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = Math.min(dx === 0 ? Infinity : r.w / 2 / Math.abs(dx), dy === 0 ? Infinity : r.h / 2 / Math.abs(dy));
  return { x: cx + dx * scale, y: cy + dy * scale };
}

function drawArrow(page: PDFPage, from: Rect, to: Rect, offset: number): void {
  const fc = { x: from.x + from.w / 2, y: from.y + from.h / 2 };
  const tc = { x: to.x + to.w / 2, y: to.y + to.h / 2 };
  // Two arrows between the same pair (a loop of two) run side by side rather than on top of each other.
  const len = Math.hypot(tc.x - fc.x, tc.y - fc.y) || 1;
  const nx = (-(tc.y - fc.y) / len) * offset;
  const ny = ((tc.x - fc.x) / len) * offset;
  const start = edgePoint(from, tc.x + nx, tc.y + ny);
  const end = edgePoint(to, fc.x + nx, fc.y + ny);
  const s = { x: start.x + nx, y: start.y + ny };
  const e = { x: end.x + nx, y: end.y + ny };
  page.drawLine({ start: s, end: e, thickness: 1.5, color: LINE });
  const angle = Math.atan2(e.y - s.y, e.x - s.x);
  const head = (a: number) => ({ x: e.x - 9 * Math.cos(angle + a), y: e.y - 9 * Math.sin(angle + a) });
  const l = head(0.45);
  const r = head(-0.45);
  page.drawSvgPath(`M ${e.x} ${-e.y} L ${l.x} ${-l.y} L ${r.x} ${-r.y} Z`, { x: 0, y: 0, color: LINE, borderWidth: 0 });
}

function drawBox(page: PDFPage, font: PDFFont, rect: Rect, kind: BoxKind, items: readonly string[]): void {
  page.drawRectangle({ x: rect.x, y: rect.y, width: rect.w, height: rect.h, borderColor: LINE, borderWidth: 1.2, color: rgb(0.96, 0.97, 1) });
  let y = rect.y + rect.h - 16;
  page.drawText(BOX_LABELS[kind], { x: rect.x + 8, y, size: 10, font, color: LINE });
  y -= 14;
  const lines = items.flatMap((item) => wrapLine(`• ${printable(item)}`, font, 8.5, rect.w - 16));
  for (const [i, line] of lines.entries()) {
    if (y < rect.y + 6) break;
    const more = y - 11 < rect.y + 6 && i < lines.length - 1;
    page.drawText(more ? '… (continued below)' : line, { x: rect.x + 8, y, size: 8.5, font, color: TEXT });
    y -= 11;
  }
}

export async function renderFormulationPdf(layout: FormulationLayout, createdAt: Date): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontBytes(), { subset: true });
  doc.setTitle(layout.title);
  doc.setCreator('Clinic Caseload');
  doc.setProducer('Clinic Caseload (pdf-lib)');
  doc.setCreationDate(createdAt);
  doc.setModificationDate(createdAt);

  const [pw, ph] = A4_LANDSCAPE;
  let page = doc.addPage(A4_LANDSCAPE);
  let y = ph - MARGIN;
  for (const line of layout.heading) {
    page.drawText(printable(line), { x: MARGIN, y, size: 12, font, color: TEXT });
    y -= 16;
  }

  const gapX = (pw - 2 * MARGIN - 3 * BOX_W) / 2;
  const top = y - 10;
  const rects = Object.fromEntries(
    BOX_KINDS.map((k) => {
      const [col, row] = BOX_GRID[k];
      return [k, { x: MARGIN + col * (BOX_W + gapX), y: top - BOX_H - row * (BOX_H + 60), w: BOX_W, h: BOX_H }];
    }),
  ) as Record<BoxKind, Rect>;
  for (const k of BOX_KINDS) drawBox(page, font, rects[k], k, layout.diagram.boxes[k]);
  for (const a of layout.diagram.arrows) {
    const paired = layout.diagram.arrows.some((b) => b.from === a.to && b.to === a.from);
    drawArrow(page, rects[a.from], rects[a.to], paired ? 6 : 0);
  }

  // The same diagram in words, on the next page: readable without the drawing.
  page = doc.addPage(A4_LANDSCAPE);
  y = ph - MARGIN;
  const width = pw - 2 * MARGIN;
  const write = (text: string, size = 10) => {
    for (const part of wrapLine(printable(text), font, size, width)) {
      if (y < MARGIN + 20) {
        page = doc.addPage(A4_LANDSCAPE);
        y = ph - MARGIN;
      }
      page.drawText(part, { x: MARGIN, y, size, font, color: TEXT });
      y -= size + 4;
    }
  };
  const words = describeFormulation(layout.diagram);
  write('The formulation in words', 13);
  y -= 4;
  for (const line of words.boxes) write(line);
  y -= 6;
  write('How they connect', 12);
  for (const line of words.relations.length ? words.relations : ['No connections drawn yet.']) write(line);
  y -= 6;
  write('Maintaining cycles', 12);
  for (const line of words.cycles.length ? words.cycles : ['No cycle drawn yet.']) write(line);

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    p.drawText(printable(`${layout.footer} · page ${i + 1} of ${pages.length}`), { x: MARGIN, y: MARGIN / 2, size: 8, font, color: rgb(0.35, 0.35, 0.35) });
  });
  return doc.save();
}
