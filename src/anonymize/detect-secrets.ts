/**
 * Secret detectors: provider API keys, JWTs, PEM private keys, bearer/basic credentials,
 * credentials inside URLs, and values under credential-like key names.
 *
 * One combined pattern with named alternatives finds the provider keys; each alternative
 * starts with a literal prefix behind a lookbehind that forbids starting mid-token, and
 * every repetition is bounded, so the scan is linear. PEM blocks are found by `indexOf`
 * on their BEGIN/END markers rather than a regex over an unbounded body.
 */
import { eachMatch } from './patterns.ts';
import type { Span } from './span.ts';
import { looksLikeToken } from './validators.ts';

const KEYS = new RegExp(
  [
    String.raw`(?<anthropic_key>sk-ant-[A-Za-z0-9_\-]{20,300})`,
    String.raw`(?<openai_key>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,300})`,
    String.raw`(?<stripe_key>(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,250}|whsec_[A-Za-z0-9]{16,250})`,
    String.raw`(?<aws_access_key>(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})`,
    String.raw`(?<github_token>gh[pousr]_[A-Za-z0-9]{30,255}|github_pat_[A-Za-z0-9_]{22,255})`,
    String.raw`(?<slack_token>xox[abposre]-[A-Za-z0-9\-]{10,250}|https://hooks\.slack\.com/services/[A-Za-z0-9/]{20,120})`,
    String.raw`(?<google_key>AIza[0-9A-Za-z_\-]{35}|ya29\.[0-9A-Za-z_\-]{20,2000})`,
    String.raw`(?<jwt>eyJ[A-Za-z0-9_\-]{5,4000}\.eyJ[A-Za-z0-9_\-]{2,8000}\.[A-Za-z0-9_\-]{0,2000})`,
    String.raw`(?<url_credentials>(?<=[a-z][a-z0-9+.\-]{0,20}://)[^\s:/@?#"'<>[\]]{1,128}:[^\s/@?#"'<>]{1,256}(?=@))`,
  ]
    .map((alt) => `(?<![A-Za-z0-9_\\-])${alt}(?![A-Za-z0-9_\\-])`)
    .join('|'),
  'g',
);

/** Cheap pre-filter: the literal prefixes every provider key starts with (plus `://` for URL credentials). */
const KEY_HINT = /sk[-_]|[rp]k_|whsec_|A(?:KIA|SIA|BIA|CCA|Iza)|gh[pousr]_|github_pat_|xox|ya29\.|eyJ|:\/\//;

const AUTH_SCHEME = /(?<![A-Za-z])(bearer|basic|token|digest)(\s+|%20|\+)([A-Za-z0-9._~+/\-]{8,4096}={0,2})(?![A-Za-z0-9._~+/=\-])/gi;

/** `password: x`, `api_key=x`, `"client_secret": "x"`, `--password 'x y'` in free text (query strings, logs, env dumps, shells). */
const KEY_VALUE =
  /(?<![A-Za-z0-9_[:])(["']?)([A-Za-z0-9_\-]{0,30}?(?:password|passwd|pwd|passphrase|secret|token|api[_\-]?key|apikey|access[_\-]?key|private[_\-]?key|credentials?|session[_\-]?id|auth)[A-Za-z0-9_\-]{0,20})\1(?:\s{0,5}[:=]\s{0,5}|\s{1,3}(?=["']))(?:"([^"\n]{3,512})"|'([^'\n]{3,512})'|([^\s"'&,;<>{}[\]]{4,512}))/dgi;
/** One scan that rules out both the auth-scheme and the key/value detectors for most texts. */
const CREDENTIAL_HINT = /pass|pwd|secret|token|key|credential|session|auth|bearer|basic|digest/i;
const AUTH_HINT = /bearer|basic|token|digest/i;
const KEY_VALUE_HINT = /pass|pwd|secret|token|key|credential|session|auth/i;

/** Key names whose value is always a secret, whatever it looks like. */
export const ALWAYS_SECRET_KEY = /(?:password|passwd|pwd|passphrase|secret|credentials?|private[_\-]?key)$/i;
/** Key names whose value is a secret when it looks machine-generated. */
export const TOKEN_KEY = /(?:token|api[_\-]?key|apikey|access[_\-]?key|key|session[_\-]?id|auth|signature|sig)$/i;

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY( BLOCK)?-----/g;

export function detectSecrets(text: string, out: Span[]): void {
  if (KEY_HINT.test(text)) {
    for (const m of eachMatch(KEYS, text)) {
      const kind = Object.entries(m.groups ?? {}).find(([, v]) => v !== undefined)?.[0] ?? 'secret';
      out.push({ start: m.index, end: m.index + m[0].length, kind: 'secret', type: kind });
    }
  }
  if (text.includes('-----BEGIN')) detectPem(text, out);
  if (!CREDENTIAL_HINT.test(text)) return;
  if (AUTH_HINT.test(text)) {
    for (const m of eachMatch(AUTH_SCHEME, text)) {
      const value = m[3] as string;
      const scheme = (m[1] as string).toLowerCase();
      if (scheme === 'basic' ? !basicCredential(value) : !looksLikeToken(value)) continue;
      const start = m.index + (m[1] as string).length + (m[2] as string).length;
      out.push({ start, end: start + value.length, kind: 'secret', type: `${scheme}_credential` });
    }
  }
  if (/[:='"]/.test(text) && KEY_VALUE_HINT.test(text)) detectKeyValues(text, out);
}

function detectPem(text: string, out: Span[]): void {
  for (const m of eachMatch(PEM_BEGIN, text)) {
    const endMarker = m[0].replace('BEGIN', 'END');
    const endAt = text.indexOf(endMarker, m.index + m[0].length);
    // Fail closed: an unterminated block hides everything after its BEGIN marker.
    if (endAt === -1) {
      out.push({ start: m.index, end: text.length, kind: 'secret', type: 'private_key' });
      return; // the rest of the text is already covered; rescanning it per marker would be quadratic
    }
    out.push({ start: m.index, end: endAt + endMarker.length, kind: 'secret', type: 'private_key' });
  }
}

function basicCredential(value: string): boolean {
  if (value.length < 8 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

function detectKeyValues(text: string, out: Span[]): void {
  for (const m of eachMatch(KEY_VALUE, text)) {
    const group = m[3] !== undefined ? 3 : m[4] !== undefined ? 4 : 5; // "quoted", 'quoted' or bare
    const value = m[group] as string;
    const start = m.indices?.[group]?.[0];
    if (start === undefined || !secretValueForKey(m[2] as string, value)) continue;
    out.push({ start, end: start + value.length, kind: 'secret', type: 'credential' });
  }
}

/** Whether `value` stored under `key` is a secret: always for passwords, when token-like for keys. */
export function secretValueForKey(key: string, value: string): boolean {
  if (value.startsWith('[secret:') || /^\*+$|^<[^>]*>$|^\$\{[^}]*\}$|^(?:null|none|true|false|undefined|redacted)$/i.test(value)) return false;
  if (ALWAYS_SECRET_KEY.test(key)) return value.length >= 3;
  return TOKEN_KEY.test(key) && looksLikeToken(value);
}
