import type { Session } from '../model/index.ts';
import { secretValueForKey } from './detect-secrets.ts';
import { detectAll } from './detector.ts';
import { UNRECORDED_HEADER, classifyKey, personNameTokens } from './fields.ts';
import { builtinPolicy, type Policy } from './policy.ts';
import { isSurrogate } from './surrogates.ts';

/** A residual PII/secret hit: type and where, never the value. */
export interface ScanHit {
  type: string;
  session: string;
  turn: number | null;
  /** e.g. `turns[2].exchanges[0].request.body.messages[3].content` */
  location: string;
}

/**
 * Audits an (anonymized) session for residue: runs the same detectors as the anonymizer on
 * every string, JSON inside strings included, and reports values that are not surrogates
 * (reserved ranges, invented names, `[secret:…]` tokens) nor allow-listed, plus any
 * credential header. Hits carry type and location, never the value.
 */
export function scanSession(session: Session, policy: Policy = builtinPolicy()): ScanHit[] {
  const hits: ScanHit[] = [];
  let turn: number | null = null;
  const report = (type: string, location: string) => hits.push({ type, session: session.id, turn, location });
  // The session's own pseudonym (`s-<hmac>`, written wherever the production id was) is a
  // surrogate, though under a key like `session_id` it looks like a token.
  const ownIds = new Set([session.id, session.id.replace(/#\d+$/, '')]);

  const scanString = (text: string, location: string, key: string | undefined): void => {
    if (key !== undefined && classifyKey(key) === 'secret' && !ownIds.has(text) && secretValueForKey(key, text)) report('credential', location);
    if (key !== undefined && classifyKey(key) === 'name') {
      if (personNameTokens(text, false).some((t) => !isSurrogate('name', t[0]))) report('name', location);
    }
    const trimmed = text.trimStart();
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && /[}\]]\s*$/.test(trimmed)) {
      try {
        walk(JSON.parse(trimmed), `${location}<json>`);
        return;
      } catch {
        // not JSON after all: scan as text
      }
    }
    const decoded = decodeQuery(text);
    for (const s of detectAll(decoded, policy)) {
      const value = decoded.slice(s.start, s.end);
      if (s.kind === 'identity' && (isSurrogate(s.type, value) || policy.allow.has(value.toLowerCase()))) continue;
      if (s.kind === 'secret' && ownIds.has(value)) continue;
      report(s.kind === 'secret' ? `secret:${s.type}` : s.type, location);
    }
  };

  const walk = (value: unknown, location: string, key?: string): void => {
    if (typeof value === 'string') scanString(value, location, key);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${location}[${i}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (location.endsWith('.headers') && UNRECORDED_HEADER.test(k)) report('credential_header', `${location}.${k}`);
        walk(v, `${location}.${k}`, k);
      }
    }
  };

  walk(session.segment, 'segment');
  session.turns.forEach((t, i) => {
    turn = t.index;
    walk(t, `turns[${i}]`);
  });
  return hits;
}

/** `%40` and `+` in query strings would hide an email or a name from the detectors. */
function decodeQuery(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
