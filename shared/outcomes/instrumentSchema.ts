import { z } from 'zod';

/**
 * The shape of an instrument definition. Instruments are data (DESIGN.md §4): the catalogue is validated
 * against this schema when it loads, and so is anything a service adds.
 *
 * `verified: false` marks a value the domain reference labels [U]: a service may override it, and any result
 * it decides carries a warning saying so.
 */
const Provenance = z.strictObject({ verified: z.boolean(), source: z.string().min(1) });

export const ResponseOption = z.strictObject({
  value: z.number(),
  label: z.string().min(1),
  /** Data-set code where the answer is coded (e.g. EmployStatus "01"). */
  code: z.string().optional(),
});
export type ResponseOption = z.infer<typeof ResponseOption>;

export const Item = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  /** Omitted where the licence does not allow shipping the wording (score-entry shells). */
  text: z.string().min(1).optional(),
  /** Overrides the instrument's response options for this item. */
  options: z.array(ResponseOption).min(1).optional(),
  /** For numeric entries (totals, counts, lab values) instead of options. */
  range: z.strictObject({ min: z.number(), max: z.number(), integer: z.boolean() }).optional(),
  /** The item may be answered "not applicable" (WSAS work, PHQ-15 menstrual, PEQ). */
  notApplicableAllowed: z.boolean().default(false),
  /** Answers above this value raise a risk flag (PHQ-9 item 9). */
  riskAbove: z.number().optional(),
  riskFlag: z.string().optional(),
});
export type Item = z.infer<typeof Item>;

/** Comparison of a score (or a change) with its cut-off; '>=' unless the source prints '>' (ref §2.2). */
export const Operator = z.enum(['>=', '>']).default('>=');
export type Operator = z.output<typeof Operator>;

export const Band = z.strictObject({ min: z.number(), max: z.number(), label: z.string().min(1) });
export type Band = z.infer<typeof Band>;

export const InstrumentDefinition = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    version: z.string().min(1),
    title: z.string().min(1),
    kind: z.enum(['questionnaire', 'score-entry', 'screen', 'local-screen', 'lab-value', 'service-use', 'categorical']),
    instructions: z.string().optional(),
    recallPeriod: z.string().optional(),
    responseOptions: z.array(ResponseOption).default([]),
    items: z.array(Item).min(1),
    scoring: z.strictObject({
      method: z.enum(['sum', 'mean', 'value', 'none']),
      subscales: z.array(z.strictObject({ id: z.string(), title: z.string(), items: z.array(z.string()).min(1), method: z.enum(['sum', 'mean']) })).default([]),
      /** Decimal places kept for means. */
      decimals: z.number().int().min(0).max(3).default(2),
    }),
    /** Total range, for reliable-change input checks. */
    totalRange: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    caseness: z
      .strictObject({
        threshold: z.number(),
        /** ref §2.2: an operator the guide prints is meant (MI > 2.3); a bare number is an inclusive cut-off. */
        operator: Operator,
        basis: z.enum(['total', 'any-item']),
        /** ref §2.2 notes: PHQ-15 caseness is the guide's only for a medically-unexplained-symptoms descriptor. */
        when: z.enum(['always', 'mus-descriptor']).default('always'),
        ...Provenance.shape,
      })
      .optional(),
    /** Positive screen rule: PHQ-4 (either subscale ≥ 3), DDS2 (mean ≥ threshold), local screens (service cut-off). */
    screen: z
      .strictObject({
        basis: z.enum(['total', 'any-subscale']),
        threshold: z.number().nullable(),
        label: z.string(),
        ...Provenance.shape,
      })
      .optional(),
    /** A change of `value` (by `operator`) in either direction is reliable (ref §2.2: PDSS > 5, the rest inclusive). */
    reliableChange: z.strictObject({ value: z.number().positive(), operator: Operator, ...Provenance.shape }).optional(),
    severityBands: z.strictObject({ bands: z.array(Band).min(1), ...Provenance.shape }).optional(),
    licence: z.string().min(1),
    snomed: z.string().regex(/^\d{6,18}$/).optional(),
    source: z.string().min(1),
  })
  .superRefine((def, ctx) => {
    const ids = new Set(def.items.map((i) => i.id));
    if (ids.size !== def.items.length) ctx.addIssue({ code: 'custom', path: ['items'], message: 'item ids must be unique' });
    for (const s of def.scoring.subscales) {
      for (const item of s.items) if (!ids.has(item)) ctx.addIssue({ code: 'custom', path: ['scoring', 'subscales'], message: `subscale ${s.id} names unknown item ${item}` });
    }
    for (const [i, item] of def.items.entries()) {
      const hasOptions = (item.options ?? def.responseOptions).length > 0;
      if (!hasOptions && !item.range) ctx.addIssue({ code: 'custom', path: ['items', i], message: 'an item needs response options or a range' });
    }
    if (def.kind === 'score-entry' && def.items.some((i) => i.text)) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'score-entry shells carry no item text (licence)' });
    }
  });
export type InstrumentDefinition = z.output<typeof InstrumentDefinition>;
export type InstrumentInput = z.input<typeof InstrumentDefinition>;
