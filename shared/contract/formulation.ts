import { z } from 'zod';
import { recordId } from '../domain/people';
import { BOX_KINDS, BOX_LABELS, type BoxKind } from '../domain/formulation';
import { recordMeta, requiredText } from './schemas';

/**
 * Formulation (issue #10 stage 6): an LTC-adapted CBT diagram per referral, saved as versions like notes —
 * every saved version kept and shown by date, never rewritten — and exported as a PDF for the patient to a
 * folder chosen through the shell (files.chooseFolder, purpose "formulations").
 */
export const BoxKindSchema = z.enum(BOX_KINDS, { message: `must be one of the boxes: ${BOX_KINDS.join(', ')}` });

const MAX_ITEMS = 20;
const item = requiredText(500);
const items = z.array(item).max(MAX_ITEMS, `must hold ${MAX_ITEMS} items or fewer`);

export const ArrowSchema = z.strictObject({ from: BoxKindSchema, to: BoxKindSchema });

export const DiagramSchema = z
  .strictObject({
    boxes: z.strictObject(Object.fromEntries(BOX_KINDS.map((k) => [k, items])) as Record<BoxKind, typeof items>),
    arrows: z.array(ArrowSchema).max(BOX_KINDS.length * (BOX_KINDS.length - 1), 'has more arrows than there are pairs of boxes'),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.arrows.forEach((a, i) => {
      if (a.from === a.to) ctx.addIssue({ code: 'custom', path: ['arrows', i], message: `goes from ${BOX_LABELS[a.from]} to itself` });
      const key = `${a.from}>${a.to}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['arrows', i], message: `repeats the arrow from ${BOX_LABELS[a.from]} to ${BOX_LABELS[a.to]}` });
      seen.add(key);
    });
  });

export const Formulation = z.strictObject({
  id: recordId,
  referralId: recordId,
  /** 1 for the first saved version, n + 1 for the one saved over version n. */
  formulationVersion: z.number().int().positive(),
  diagram: DiagramSchema,
  savedByName: z.string(),
  ...recordMeta,
});
export type Formulation = z.infer<typeof Formulation>;

export const FormulationSummary = z.strictObject({
  id: recordId,
  formulationVersion: z.number().int().positive(),
  savedAt: z.string(),
  savedByName: z.string(),
});
export type FormulationSummary = z.infer<typeof FormulationSummary>;

export const formulationMethods = {
  /**
   * A new version. `baseVersion` is the formulation version the clinician edited (0 when there was none): a save
   * over an older one is refused as stale, so no one's diagram is silently replaced.
   */
  'formulation.save': {
    input: z.strictObject({ referralId: recordId, baseVersion: z.number().int().min(0), diagram: DiagramSchema }),
    output: Formulation,
  },
  /** Every saved version, newest first, and the newest in full (null before the first save). */
  'formulation.list': {
    input: z.strictObject({ referralId: recordId }),
    output: z.strictObject({ versions: z.array(FormulationSummary), latest: Formulation.nullable() }),
  },
  'formulation.get': { input: z.strictObject({ id: recordId }), output: Formulation },
  /** Writes one version as a PDF into the folder chosen for formulations; the file leaves the encrypted store. */
  'formulation.export': {
    input: z.strictObject({ id: recordId }),
    output: z.strictObject({ file: z.string(), path: z.string(), bytes: z.number().int().positive() }),
  },
} as const;
