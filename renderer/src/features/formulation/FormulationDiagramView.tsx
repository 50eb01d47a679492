import { Button, Group, Textarea } from '@mantine/core';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { BOX_KINDS, BOX_LABELS, leadsTo, sameArrow, type Arrow, type BoxKind, type FormulationDiagram } from '../../../../shared/domain/formulation';
import { arrowLine, boxRect, VIEW_H, VIEW_W } from './diagramGeometry';

const BLUE = '#005eb8';
const FOCUS = '#ffb81c';

/**
 * The formulation drawn as SVG — a view of the model, never the other way round. Every box and arrow is in the
 * tab order with a visible focus ring. On a box, Enter edits its items in place (one per line) and A adds one; on
 * an arrow, Delete removes it. Arrows are added from the form beside the drawing. The description (the same
 * diagram in words) is named by `describedBy`.
 */
export function FormulationDiagramView({
  diagram,
  readOnly,
  describedBy,
  onChange,
  onStartArrow,
}: {
  diagram: FormulationDiagram;
  readOnly: boolean;
  describedBy: string;
  onChange: (next: FormulationDiagram) => void;
  /** L on a box: start an arrow from it (the page then asks where it leads). */
  onStartArrow: (from: BoxKind) => void;
}) {
  const [editing, setEditing] = useState<{ kind: BoxKind; text: string } | null>(null);
  const boxRefs = useRef<Partial<Record<BoxKind, SVGGElement | null>>>({});
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const returnTo = useRef<BoxKind | null>(null);

  useEffect(() => {
    if (editing) {
      const el = editorRef.current;
      el?.focus();
      el?.setSelectionRange(el.value.length, el.value.length);
    } else if (returnTo.current) {
      boxRefs.current[returnTo.current]?.focus();
      returnTo.current = null;
    }
    // Focus moves only when editing starts or ends, not on each keystroke.
  }, [editing !== null]);

  const startEditing = (kind: BoxKind, addItem: boolean) => {
    const items = diagram.boxes[kind];
    setEditing({ kind, text: addItem && items.length > 0 ? `${items.join('\n')}\n` : items.join('\n') });
  };
  const finish = (save: boolean) => {
    if (!editing) return;
    if (save) {
      const items = editing.text.split('\n').map((t) => t.trim()).filter((t) => t.length > 0);
      onChange({ ...diagram, boxes: { ...diagram.boxes, [editing.kind]: items } });
    }
    returnTo.current = editing.kind;
    setEditing(null);
  };
  const onBoxKey = (kind: BoxKind) => (e: KeyboardEvent) => {
    if (readOnly) return;
    if (e.key === 'Enter' || e.key === 'F2') {
      e.preventDefault();
      startEditing(kind, false);
    } else if (e.key === 'a' || e.key === 'A' || e.key === '+') {
      e.preventDefault();
      startEditing(kind, true);
    } else if (e.key === 'l' || e.key === 'L') {
      e.preventDefault();
      onStartArrow(kind);
    }
  };
  const onArrowKey = (arrow: Arrow) => (e: KeyboardEvent) => {
    if (readOnly || (e.key !== 'Delete' && e.key !== 'Backspace')) return;
    e.preventDefault();
    onChange({ ...diagram, arrows: diagram.arrows.filter((a) => !sameArrow(a, arrow)) });
    boxRefs.current[arrow.from]?.focus();
  };

  const editRect = editing ? boxRect(editing.kind) : null;
  return (
    <svg
      viewBox={`0 0 ${VIEW_W} ${VIEW_H}`}
      width="100%"
      role="group"
      aria-label={readOnly ? 'Formulation diagram (an earlier version, read only)' : 'Formulation diagram'}
      aria-describedby={describedBy}
      style={{ maxHeight: 440, display: 'block' }}
    >
      <style>{`
        .fbox:focus { outline: none; }
        .fbox:focus-visible > rect { stroke: ${FOCUS}; stroke-width: 5; }
        .farrow:focus { outline: none; }
        .farrow:focus-visible > .fline { stroke: #212b32; stroke-width: 5; }
        .farrow:focus-visible > .fhalo { stroke: ${FOCUS}; stroke-opacity: 1; }
      `}</style>
      <defs>
        <marker id="formulation-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill={BLUE} />
        </marker>
      </defs>
      {BOX_KINDS.map((kind) => {
        const r = boxRect(kind);
        const items = diagram.boxes[kind];
        return (
          <g
            key={kind}
            className="fbox"
            ref={(el) => {
              boxRefs.current[kind] = el;
            }}
            tabIndex={0}
            role="button"
            // Named by its own visible words (box title, then each item), so the name is what the eye reads.
            aria-labelledby={`fbox-${kind}`}
            aria-describedby={readOnly ? undefined : 'formulation-keys'}
            data-box={kind}
            onKeyDown={onBoxKey(kind)}
            onDoubleClick={() => !readOnly && startEditing(kind, false)}
          >
            <rect x={r.x} y={r.y} width={r.w} height={r.h} rx={10} fill="#f0f4f5" stroke={BLUE} strokeWidth={2} />
            <foreignObject x={r.x + 8} y={r.y + 6} width={r.w - 16} height={r.h - 12}>
              <div id={`fbox-${kind}`} style={{ font: '14px/1.3 system-ui, sans-serif', color: '#212b32', overflow: 'hidden', height: '100%' }}>
                <div style={{ fontWeight: 700, color: '#003087', marginBottom: 4 }}>{BOX_LABELS[kind]}:</div>
                {items.length === 0 ? (
                  <div style={{ color: '#4c6272' }}>{readOnly ? 'nothing written.' : 'empty, press Enter to write.'}</div>
                ) : (
                  <div>
                    {items.map((item, i) => (
                      <div key={i} style={{ borderLeft: '3px solid #41b6e6', paddingLeft: 6, marginBottom: 3 }}>
                        {/* The semicolon is seen and heard alike: the accessible name is the visible text. */}
                        {item}
                        {i < items.length - 1 ? ';' : ''}
                      </div>
                    ))}
                  </div>
                )}
              </div>
            </foreignObject>
          </g>
        );
      })}
      {diagram.arrows.map((a) => {
        const line = arrowLine(a, diagram.arrows.some((b) => b.from === a.to && b.to === a.from));
        return (
          <g key={`${a.from}>${a.to}`} className="farrow" tabIndex={0} role="button" aria-label={`${leadsTo(a)}.${readOnly ? '' : ' Press Delete to remove this arrow.'}`} data-arrow={`${a.from}>${a.to}`} onKeyDown={onArrowKey(a)}>
            <line className="fhalo" {...line} stroke={FOCUS} strokeOpacity={0} strokeWidth={12} />
            <line className="fline" {...line} stroke={BLUE} strokeWidth={2.5} markerEnd="url(#formulation-head)" />
          </g>
        );
      })}
      {editing && editRect && (
        <foreignObject x={editRect.x - 6} y={Math.min(editRect.y - 6, VIEW_H - editRect.h - 60)} width={editRect.w + 12} height={editRect.h + 60}>
          <div style={{ background: 'white', border: `3px solid ${BLUE}`, borderRadius: 8, padding: 6 }}>
            <Textarea
              ref={editorRef}
              label={`${BOX_LABELS[editing.kind]}, one item per line`}
              value={editing.text}
              onChange={(e) => setEditing({ ...editing, text: e.currentTarget.value })}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  e.preventDefault();
                  finish(false);
                } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  finish(true);
                }
              }}
              description="Ctrl+Enter to finish, Escape to cancel"
              autosize
              minRows={3}
              maxRows={4}
              size="xs"
            />
            <Group gap={6} mt={4} justify="flex-end">
              <Button size="compact-xs" variant="default" onClick={() => finish(false)}>Cancel</Button>
              <Button size="compact-xs" onClick={() => finish(true)}>Done</Button>
            </Group>
          </div>
        </foreignObject>
      )}
    </svg>
  );
}
