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
  /** Whether the per-event redaction changed it (then `parts` already holds the new JSON). */
  modified: boolean;
}

/**
 * Redacts a streamed body chunk by chunk, keeping chunk count, offsets and SSE framing.
 *
 * Design: each `data:` line holding JSON is parsed once and redacted as JSON (other lines as
 * text). Then come values split across chunks: a model streams `jane.doe@` in one chunk and
 * `gmail.com` in the next, so no single chunk holds the whole email. The text pieces of every
 * event (`delta.content`, `partial_json`, tool-call `arguments`…) are joined in stream order
 * and scanned once more; a value that crosses a piece boundary gets its replacement where it
 * starts, and the rest of it is cut from the following pieces. Only touched events are
 * re-serialized; the others keep their bytes.
 */
export function redactChunks(redactor: Redactor, chunks: StreamChunk[]): StreamChunk[] {
  const parts = chunks.map((c) => c.data.split(/(\r\n|\r|\n)/));
  const pieces: Piece[] = [];
  let joined = '';
  parts.forEach((lines, chunk) => {
    lines.forEach((line, part) => {
      if (line === '' || line === '\n' || line === '\r\n' || line === '\r') return;
      const m = /^(data: ?)([[{].*)$/s.exec(line);
      const parsed = m ? parseJson(m[2] as string) : undefined;
      if (!m || parsed === undefined) {
        // Text, a comment, `data: [DONE]`, or an event split across chunks: redacted as text.
        const d = /^(data: ?)(.*)$/s.exec(line);
        lines[part] = d ? (d[1] as string) + redactor.redactText(d[2] as string) : redactor.redactText(line);
        return;
      }
      const json = redactor.redactValue(parsed);
      const dataLine: DataLine = { chunk, part, prefix: m[1] as string, json, modified: json !== parsed };
      collectPieces(json, (holder, key, text) => {
        pieces.push({ holder, key, offset: joined.length, text, line: dataLine });
        joined += text;
      });
      if (dataLine.modified) lines[part] = dataLine.prefix + JSON.stringify(json);
    });
  });
  if (pieces.length >= 2) stitch(redactor, pieces, joined, parts);
  return chunks.map((c, i) => ({ offsetMs: c.offsetMs, data: (parts[i] as string[]).join('') }));
}

function stitch(redactor: Redactor, pieces: Piece[], joined: string, parts: string[][]): void {
  const crossing = redactor.spansIn(joined).filter((s) => pieceAt(pieces, s.start) !== pieceAt(pieces, s.end - 1));
  if (crossing.length === 0) return;
  const touched = new Set<DataLine>();
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
      touched.add(p.line);
    }
  }
  for (const line of touched) (parts[line.chunk] as string[])[line.part] = line.prefix + JSON.stringify(line.json);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
