import { BOX_GRID, type Arrow, type BoxKind } from '../../../../shared/domain/formulation';

/** Screen geometry of the diagram (SVG user units; y grows downwards). The PDF places boxes on the same grid. */
export const VIEW_W = 900;
export const VIEW_H = 440;
export const BOX_W = 250;
export const BOX_H = 175;
const GAP_X = (VIEW_W - 3 * BOX_W - 40) / 2;
const GAP_Y = VIEW_H - 2 * BOX_H - 40;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function boxRect(kind: BoxKind): Rect {
  const [col, row] = BOX_GRID[kind];
  return { x: 20 + col * (BOX_W + GAP_X), y: 20 + row * (BOX_H + GAP_Y), w: BOX_W, h: BOX_H };
}

function edgePoint(r: Rect, tx: number, ty: number): { x: number; y: number } {
  const cx = r.x + r.w / 2;
  const cy = r.y + r.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const scale = Math.min(dx === 0 ? Infinity : r.w / 2 / Math.abs(dx), dy === 0 ? Infinity : r.h / 2 / Math.abs(dy));
  return { x: cx + dx * scale, y: cy + dy * scale };
}

/** From edge to edge; an arrow whose reverse is also drawn runs beside it, so a two-box loop shows as two arrows. */
export function arrowLine(arrow: Arrow, paired: boolean): { x1: number; y1: number; x2: number; y2: number } {
  const from = boxRect(arrow.from);
  const to = boxRect(arrow.to);
  const fc = { x: from.x + from.w / 2, y: from.y + from.h / 2 };
  const tc = { x: to.x + to.w / 2, y: to.y + to.h / 2 };
  const len = Math.hypot(tc.x - fc.x, tc.y - fc.y) || 1;
  const offset = paired ? 12 : 0;
  const nx = (-(tc.y - fc.y) / len) * offset;
  const ny = ((tc.x - fc.x) / len) * offset;
  const s = edgePoint(from, tc.x + nx, tc.y + ny);
  const e = edgePoint(to, fc.x + nx, fc.y + ny);
  return { x1: s.x + nx, y1: s.y + ny, x2: e.x + nx, y2: e.y + ny };
}
