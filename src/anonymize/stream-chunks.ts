import type { StreamChunk } from '../model/index.ts';
import type { Redactor } from './redactor.ts';

/** Keys whose string values are pieces of streamed text (OpenAI chat / Responses, Anthropic). */
const PIECE_KEYS = new Set(['content', 'text', 'delta', 'partial_json', 'arguments']);

interface Piece {
  holder: Record<string, unknown>;
  key: string;
  /** Offset of this piece in the joined text. */
  offset: number;
  text: string;
  line: DataLine;
}

interface DataLine {
  chunk: number;
  /** Index in the chunk's split parts (lines and line breaks). */
  part: number;
  prefix: string;
  json: unknown;
  modified: boolean;
}

/**
 * Values split across stream chunks: a model streams `jane.doe@` in one chunk and
 * `gmail.com` in the next, so no single chunk holds the whole email.
 *
 * Design: after each chunk was redacted on its own, the text pieces of every SSE `data:` JSON
 * (`delta.content`, `partial_json`, tool-call `arguments`…) are joined in stream order and
 * scanned once more; for a value that crosses a piece boundary, its replacement goes where
 * the value starts and the rest of the value is cut from the following pieces. Chunk count,
 * offsets and event framing stay as recorded; only the JSON of touched events is rewritten.
 */
export function stitchChunks(redactor: Redactor, chunks: StreamChunk[]): StreamChunk[] {
  const parts = chunks.map((c) => c.data.split(/(\r\n|\r|\n)/));
  const pieces: Piece[] = [];
  let joined = '';
  parts.forEach((lines, chunk) => {
    lines.forEach((line, part) => {
      const m = /^(data: ?)([[{].*)$/s.exec(line);
      if (!m) return;
      let json: unknown;
      try {
        json = JSON.parse(m[2] as string);
      } catch {
        return; // an event split across chunks: the per-chunk pass is all it gets
      }
      const dataLine: DataLine = { chunk, part, prefix: m[1] as string, json, modified: false };
      collectPieces(json, (holder, key, text) => {
        pieces.push({ holder, key, offset: joined.length, text, line: dataLine });
        joined += text;
      });
    });
  });
  if (pieces.length < 2) return chunks;

  const crossing = redactor.spansIn(joined).filter((s) => pieceAt(pieces, s.start) !== pieceAt(pieces, s.end - 1));
  // Right to left, so every edit only shortens text after the positions still to be edited.
  for (const span of crossing.reverse()) {
    const first = pieceAt(pieces, span.start);
    const last = pieceAt(pieces, span.end - 1);
    const replacement = redactor.replacement(span, joined.slice(span.start, span.end));
    for (let i = first; i <= last; i++) {
      const p = pieces[i] as Piece;
      const from = Math.max(span.start - p.offset, 0);
      const to = Math.min(span.end - p.offset, p.text.length);
      p.text = p.text.slice(0, from) + (i === first ? replacement : '') + p.text.slice(to);
      p.holder[p.key] = p.text;
      p.line.modified = true;
    }
  }
  for (const p of pieces) {
    if (p.line.modified) (parts[p.line.chunk] as string[])[p.line.part] = p.line.prefix + JSON.stringify(p.line.json);
  }
  return chunks.map((c, i) => ({ offsetMs: c.offsetMs, data: (parts[i] as string[]).join('') }));
}

function collectPieces(value: unknown, visit: (holder: Record<string, unknown>, key: string, text: string) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) collectPieces(v, visit);
  } else if (value !== null && typeof value === 'object') {
    const holder = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(holder)) {
      if (typeof v === 'string' && PIECE_KEYS.has(k)) visit(holder, k, v);
      else collectPieces(v, visit);
    }
  }
}

/** Index of the piece holding joined-text position `at` (binary search over offsets). */
function pieceAt(pieces: Piece[], at: number): number {
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((pieces[mid] as Piece).offset <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
