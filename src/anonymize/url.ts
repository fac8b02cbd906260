/** A whole-string URL (`https://…`) or path (`/users/…?q=…`): redacted part by part. */
export const URLISH = /^(?:[a-z][a-z0-9+.\-]{1,20}:\/\/|\/)[^\s]*$/i;

export interface UrlRedaction {
  /** Redacts plain text (a decoded path segment, then the whole URL). */
  plain(text: string): string;
  /** Redacts a decoded query value, knowing its parameter name (`api_key`, `email`). */
  field(value: string, key: string): string;
}

/**
 * Percent-encoding hides values from text detectors (`jane%40corp.com`, `%2B44%2020…`), so
 * path segments and query values are decoded, redacted (query values by their key, like JSON
 * fields) and re-encoded only when they changed; then the whole URL goes through the text
 * detectors once more for what spans parts (`user:password@host`, webhook URLs).
 */
export function redactUrl(url: string, r: UrlRedaction): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeHash.slice(queryAt + 1);
  const schemeEnd = base.indexOf('://');
  const pathStart = schemeEnd === -1 ? 0 : base.indexOf('/', schemeEnd + 3);
  const head = pathStart === -1 ? base : base.slice(0, pathStart);
  const path = pathStart === -1 ? '' : base.slice(pathStart);
  const newPath = path
    .split('/')
    .map((seg) => recode(seg, (decoded) => r.plain(decoded)))
    .join('/');
  const newQuery = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const key = decode(pair.slice(0, eq));
      return `${pair.slice(0, eq)}=${recode(pair.slice(eq + 1), (v) => r.field(v, key))}`;
    })
    .join('&');
  return r.plain(head + newPath + (queryAt === -1 ? '' : `?${newQuery}`) + fragment);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Applies `fn` to the decoded form of a URL component; re-encodes only when it changed. */
function recode(component: string, fn: (decoded: string) => string): string {
  const decoded = decode(component);
  const redacted = fn(decoded);
  // Secret tokens keep their brackets and colons readable; both are safe in paths and queries.
  return redacted === decoded ? component : encodeURIComponent(redacted).replace(/%5B|%5D|%3A/g, decodeURIComponent);
}
