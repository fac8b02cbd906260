/** Collapses runs of whitespace (newlines included) to one space, trimmed. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `text` on one line, cut to at most `max` characters with `…` marking the cut: for evidence and listings. */
export function clip(text: string, max = 160): string {
  const line = squash(text);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
