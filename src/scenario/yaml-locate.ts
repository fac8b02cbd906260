import { isMap, isNode, isPair, isScalar, type Document, type LineCounter } from 'yaml';

/** A place in a YAML file, 1-based, as editors show it. */
export interface SourcePosition {
  line: number;
  col: number;
}

/**
 * Finds where a value path (`['target', 'reply', 'text']`) sits in a parsed YAML document.
 * When the path does not exist (a missing key), the deepest existing ancestor is returned, so
 * "required" errors point at the mapping that lacks the key. With `key`, points at that key of
 * the mapping (used for unrecognized keys).
 */
export function locate(doc: Document, counter: LineCounter, path: readonly PropertyKey[], key?: string): SourcePosition {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const node = depth === 0 ? doc.contents : doc.getIn(prefix, true);
    if (!isNode(node)) continue;
    if (key !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
      const keyNode = pair && isScalar(pair.key) ? pair.key : undefined;
      if (keyNode?.range) return position(counter, keyNode.range[0]);
    }
    if (node.range) return position(counter, node.range[0]);
  }
  return { line: 1, col: 1 };
}

function position(counter: LineCounter, offset: number): SourcePosition {
  const pos = counter.linePos(offset);
  return pos.line === 0 ? { line: 1, col: offset + 1 } : pos;
}

/** `target.reply.text`, `faults[2].ms` — the path as a reader of the YAML would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}
