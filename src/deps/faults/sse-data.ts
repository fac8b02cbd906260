import type { StreamChunk } from '../../model/index.ts';

/** One `data:` line of a streamed body whose payload is JSON. */
export interface SseDataLine {
  chunk: number;
  line: number;
  value: unknown;
}

/**
 * The JSON `data:` lines of a streamed body, chunk by chunk. Events split across chunks are
 * skipped: faults edit what they can see whole, which covers the wire formats we replay
 * (one event per chunk, as recorded).
 */
export function sseDataLines(chunks: readonly StreamChunk[]): SseDataLine[] {
  const out: SseDataLine[] = [];
  chunks.forEach((chunk, c) => {
    chunk.data.split('\n').forEach((text, l) => {
      if (!text.startsWith('data:')) return;
      const payload = text.slice(5).trim();
      if (!payload.startsWith('{') && !payload.startsWith('[')) return;
      try {
        out.push({ chunk: c, line: l, value: JSON.parse(payload) as unknown });
      } catch {
        // Not whole JSON in this chunk: nothing a fault can edit safely.
      }
    });
  });
  return out;
}

/** Copies `chunks` with the payload of the given data lines replaced by raw `text`. */
export function replaceSseData(chunks: readonly StreamChunk[], edits: ReadonlyArray<{ chunk: number; line: number; text: string }>): StreamChunk[] {
  const byChunk = new Map<number, Map<number, string>>();
  for (const e of edits) {
    const lines = byChunk.get(e.chunk) ?? new Map<number, string>();
    lines.set(e.line, e.text);
    byChunk.set(e.chunk, lines);
  }
  return chunks.map((chunk, c) => {
    const lines = byChunk.get(c);
    if (!lines) return chunk;
    const data = chunk.data
      .split('\n')
      .map((text, l) => (lines.has(l) ? `data: ${lines.get(l)}` : text))
      .join('\n');
    return { offsetMs: chunk.offsetMs, data };
  });
}
