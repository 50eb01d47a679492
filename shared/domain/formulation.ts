/**
 * An LTC-adapted CBT formulation as data (issue #10 stage 6): boxes of fixed kinds holding the clinician's (and
 * patient's) words, and arrows between boxes; the maintaining cycles are the loops those arrows make. The kinds
 * follow the IAPT-LTC adaptation of CBT (seed 001, "NICE-recommended therapies, adapted for people with LTCs"):
 * the physical symptoms and the long-term condition's own factors (hypoglycaemia fear, breathlessness, chest
 * pain) sit beside the usual thoughts, emotions and behaviours. The SVG, the screen-reader text and the PDF are
 * all views of this one model.
 */
export const BOX_KINDS = ['situation', 'physical', 'ltc', 'thoughts', 'emotions', 'behaviours'] as const;
export type BoxKind = (typeof BOX_KINDS)[number];

export const BOX_LABELS: Record<BoxKind, string> = {
  situation: 'Situation or trigger',
  physical: 'Physical symptoms',
  ltc: 'Long-term condition factors',
  thoughts: 'Thoughts',
  emotions: 'Emotions',
  behaviours: 'Behaviours',
};

/** Grid position (column, row) of each box, on screen and in the PDF alike: the trigger on the left, the body's boxes beside the mind's. */
export const BOX_GRID: Record<BoxKind, [number, number]> = {
  situation: [0, 0],
  thoughts: [1, 0],
  emotions: [2, 0],
  ltc: [0, 1],
  physical: [1, 1],
  behaviours: [2, 1],
};

export interface Arrow {
  from: BoxKind;
  to: BoxKind;
}

export interface FormulationDiagram {
  boxes: Record<BoxKind, string[]>;
  arrows: Arrow[];
}

export function emptyDiagram(): FormulationDiagram {
  return { boxes: { situation: [], physical: [], ltc: [], thoughts: [], emotions: [], behaviours: [] }, arrows: [] };
}

export const sameArrow = (a: Arrow, b: Arrow) => a.from === b.from && a.to === b.to;

/**
 * Every simple loop the arrows make, each started at its earliest box (in BOX_KINDS order) so a loop is found
 * once. Six boxes make the search trivially small.
 */
export function maintainingCycles(diagram: FormulationDiagram): BoxKind[][] {
  const next = (k: BoxKind) => diagram.arrows.filter((a) => a.from === k).map((a) => a.to);
  const cycles: BoxKind[][] = [];
  BOX_KINDS.forEach((start, startIndex) => {
    const walk = (at: BoxKind, path: BoxKind[]) => {
      for (const to of next(at)) {
        if (to === start) cycles.push([...path]);
        else if (BOX_KINDS.indexOf(to) > startIndex && !path.includes(to)) walk(to, [...path, to]);
      }
    };
    walk(start, [start]);
  });
  return cycles;
}

export const leadsTo = (a: Arrow) => `${BOX_LABELS[a.from]} leads to ${BOX_LABELS[a.to]}`;

export const cycleText = (cycle: readonly BoxKind[]) => [...cycle, cycle[0]!].map((k) => BOX_LABELS[k]).join(' → ');

/** The diagram as plain sentences: what a screen reader announces and what the PDF prints beside the drawing. */
export function describeFormulation(diagram: FormulationDiagram): { boxes: string[]; relations: string[]; cycles: string[] } {
  return {
    boxes: BOX_KINDS.map((k) => {
      const items = diagram.boxes[k];
      return `${BOX_LABELS[k]}: ${items.length === 0 ? 'nothing written yet' : items.join('; ')}`;
    }),
    relations: diagram.arrows.map(leadsTo),
    cycles: maintainingCycles(diagram).map(cycleText),
  };
}
