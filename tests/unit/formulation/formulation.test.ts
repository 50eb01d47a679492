import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { PDFArray, PDFDocument, type PDFRawStream } from 'pdf-lib';
import { sql } from 'kysely';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormulationDiagram } from '../../../shared/domain/formulation';
import { describeFormulation, emptyDiagram, maintainingCycles } from '../../../shared/domain/formulation';
import { renderFormulationPdf } from '../../../electron/services/pdf/formulationPdf';
import { removeDir, tempDir } from '../../helpers/tempStore';
import { harness, patientInput, referralInput, TODAY, type Harness } from '../episode/episodeHarness';

let h: Harness;
let exportDir: string;
beforeAll(async () => {
  h = await harness();
  exportDir = tempDir('caseload-formulation-');
});
afterAll(async () => {
  await h.engine.close();
  removeDir(h.dir);
  removeDir(exportDir);
});

/** A hypoglycaemia-fear cycle: the fear keeps the sugars high and the checking going. */
function hypoFear(): FormulationDiagram {
  const d = emptyDiagram();
  d.boxes.situation = ['Driving to work'];
  d.boxes.physical = ['Shaky, sweaty hands'];
  d.boxes.ltc = ['Type 1 diabetes: a severe hypo in 2024'];
  d.boxes.thoughts = ['I am going to pass out at the wheel'];
  d.boxes.emotions = ['Panic'];
  d.boxes.behaviours = ['Keeps sugars high; checks the meter every 20 minutes'];
  d.arrows = [
    { from: 'situation', to: 'thoughts' },
    { from: 'thoughts', to: 'emotions' },
    { from: 'emotions', to: 'physical' },
    { from: 'physical', to: 'thoughts' },
    { from: 'thoughts', to: 'behaviours' },
    { from: 'behaviours', to: 'thoughts' },
  ];
  return d;
}

async function firstPageOperators(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const contents = doc.getPages()[0]!.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  return streams.map((s) => Buffer.from(inflateSync((s as PDFRawStream).getContents())).toString('latin1')).join('\n');
}

async function episode() {
  const p = await h.call('patients.create', patientInput({ givenName: 'Zoë', familyName: 'Ní Bhriain' }));
  return h.call('referrals.create', referralInput(p.id));
}

describe('the formulation model', () => {
  it('finds each maintaining cycle once and says the diagram in words', () => {
    const d = hypoFear();
    expect(maintainingCycles(d)).toEqual([
      ['physical', 'thoughts', 'emotions'],
      ['thoughts', 'behaviours'],
    ]);
    const words = describeFormulation(d);
    expect(words.relations).toContain('Situation or trigger leads to Thoughts');
    expect(words.cycles).toEqual(['Physical symptoms → Thoughts → Emotions → Physical symptoms', 'Thoughts → Behaviours → Thoughts']);
    expect(describeFormulation(emptyDiagram()).boxes[0]).toBe('Situation or trigger: nothing written yet');
  });
});

describe('formulation versions', () => {
  it('keeps every saved version by date, refuses a save over an older one, and never rewrites a version', async () => {
    const r = await episode();
    expect(await h.call('formulation.list', { referralId: r.id })).toEqual({ versions: [], latest: null });

    const first = await h.call('formulation.save', { referralId: r.id, baseVersion: 0, diagram: { ...emptyDiagram(), boxes: { ...emptyDiagram().boxes, situation: ['Driving to work'] } } });
    expect(first).toMatchObject({ formulationVersion: 1, referralId: r.id, createdAt: `${TODAY}T10:00:00.000Z` });
    const second = await h.call('formulation.save', { referralId: r.id, baseVersion: 1, diagram: hypoFear() });
    expect(second.formulationVersion).toBe(2);

    const before = await h.changes();
    const audit = await h.auditCount();
    const stale = await h.refusal('formulation.save', { referralId: r.id, baseVersion: 1, diagram: emptyDiagram() });
    expect(stale.code).toBe('STALE_VERSION');
    expect(await h.changes()).toBe(before);
    expect(await h.auditCount()).toBe(audit);

    const list = await h.call('formulation.list', { referralId: r.id });
    expect(list.versions.map((v) => v.formulationVersion)).toEqual([2, 1]);
    expect(list.latest?.diagram).toEqual(hypoFear());
    const old = await h.call('formulation.get', { id: first.id });
    expect(old.diagram.boxes.situation).toEqual(['Driving to work']);
    expect(old.diagram.arrows).toEqual([]);

    await expect(sql`update formulations set diagram = '{}' where id = ${first.id}`.execute(h.engine.context().db)).rejects.toThrow(/a saved formulation version cannot be changed/);
    await expect(sql`insert into formulations select id || 'x', version, created_by, updated_by, created_at, updated_at, deleted_at, referral_id, 3, diagram, 'draft' from formulations where id = ${first.id}`.execute(h.engine.context().db)).rejects.toThrow(/CHECK constraint failed/);
    const outbox = await h.engine.context().db.selectFrom('sync_outbox').select('row_id').where('table_name', '=', 'formulations').execute();
    expect(outbox.map((o) => o.row_id)).toEqual(expect.arrayContaining([first.id, second.id]));
  });

  it('refuses bad diagrams with the field at fault, writing nothing', async () => {
    const r = await episode();
    const before = await h.changes();
    const self = await h.refusal('formulation.save', { referralId: r.id, baseVersion: 0, diagram: { ...emptyDiagram(), arrows: [{ from: 'thoughts', to: 'thoughts' }] } });
    expect(self).toMatchObject({ code: 'VALIDATION' });
    expect(JSON.stringify(self.fields)).toContain('goes from Thoughts to itself');
    const twice = await h.refusal('formulation.save', { referralId: r.id, baseVersion: 0, diagram: { ...emptyDiagram(), arrows: [{ from: 'thoughts', to: 'emotions' }, { from: 'thoughts', to: 'emotions' }] } });
    expect(JSON.stringify(twice.fields)).toContain('repeats the arrow from Thoughts to Emotions');
    const blank = await h.refusal('formulation.save', { referralId: r.id, baseVersion: 0, diagram: { ...emptyDiagram(), boxes: { ...emptyDiagram().boxes, emotions: ['  '] } } });
    expect(blank.fields?.[0]?.path).toContain('emotions');
    const missing = await h.refusal('formulation.save', { referralId: '00000000-0000-7000-8000-000000000000', baseVersion: 0, diagram: emptyDiagram() });
    expect(missing.code).toBe('NOT_FOUND');
    expect(await h.changes()).toBe(before);
  });

  it('exports a version as a PDF with the boxes, the arrows in words and the cycles, audited by file name', async () => {
    const r = await episode();
    const saved = await h.call('formulation.save', { referralId: r.id, baseVersion: 0, diagram: hypoFear() });
    const noFolder = await h.refusal('formulation.export', { id: saved.id });
    expect(noFolder.message).toContain('Choose a folder for formulations first');

    h.engine.setDestination('formulations', exportDir);
    const out = await h.call('formulation.export', { id: saved.id });
    expect(out.file).toMatch(/^formulation-2026-06-30-v1-[0-9a-f]{8}\.pdf$/);
    expect(out.file).not.toMatch(/Bhriain/);
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(out.path)));
    const { text } = await extractText(pdf, { mergePages: true });
    const words = text.replace(/\s+/g, ' ');
    for (const s of ['Formulation for Zoë Ní Bhriain', 'I am going to pass out at the wheel', 'Long-term condition factors', 'Thoughts leads to Behaviours', 'Physical symptoms → Thoughts → Emotions → Physical symptoms']) expect(words).toContain(s);
    const { info } = await pdf.getMetadata();
    expect(JSON.stringify(info)).not.toMatch(/Zoë|Bhriain/);
    // The drawing is vector: the first page's content stream draws six boxes and a line per arrow, no image.
    const drawing = await firstPageOperators(readFileSync(out.path));
    expect(drawing.match(/^B$/gm)?.length).toBe(6); // a filled and stroked box each
    expect(drawing.match(/^S$/gm)?.length).toBe(hypoFear().arrows.length); // a stroked line per arrow
    expect(drawing.match(/^f$/gm)?.length).toBe(hypoFear().arrows.length); // and its filled head
    expect(drawing).not.toMatch(/ Do\n/);
    const last = await h.engine.context().db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: 'export', entity: 'formulation' });
    expect(JSON.parse(last.entity_ids)).toEqual([saved.id, out.file]);
  });
});

describe('the formulation PDF on its own', () => {
  it('keeps every word when a box overflows its drawing, and prints an empty formulation plainly', async () => {
    const full = emptyDiagram();
    full.boxes.thoughts = Array.from({ length: 20 }, (_, i) => `Thought number ${i + 1}: ${'what if my sugar drops while I am out '.repeat(3)}\tend`);
    const bytes = await renderFormulationPdf({ title: 'Formulation', heading: ['Formulation for Łukasz Wójcik'], diagram: full, footer: 'Confidential' }, new Date());
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    const { totalPages, text } = await extractText(pdf, { mergePages: true });
    const words = text.replace(/\s+/g, ' ');
    expect(totalPages).toBeGreaterThanOrEqual(2);
    expect(words).toContain('… (continued below)');
    expect(words).toContain('Thought number 20: what if my sugar drops');
    expect(words).toContain(`page ${totalPages} of ${totalPages}`);

    const empty = await extractText(await getDocumentProxy(new Uint8Array(await renderFormulationPdf({ title: 'Formulation', heading: ['Formulation'], diagram: emptyDiagram(), footer: 'Confidential' }, new Date()))), { mergePages: true });
    expect(empty.text.replace(/\s+/g, ' ')).toContain('Thoughts: nothing written yet');
    expect(empty.text).toContain('No cycle drawn yet.');
  });
});
