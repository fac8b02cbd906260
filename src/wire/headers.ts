/**
 * Header names with a meaning shared by the recorder, the anonymizer and the virtual
 * dependencies (after undici's snapshot recorder: one list of headers never stored).
 */

/**
 * Credential headers: never recorded, never journaled, whatever their value. Exact names,
 * plus any name mentioning a token, secret, password or API key.
 */
export const CREDENTIAL_HEADER =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-amz-security-token|x-goog-api-key|x-csrf-token|x-xsrf-token)$|token|secret|password|api-?key/i;

/** RFC 9110 §7.6.1 hop-by-hop headers: they describe one connection, not the message. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
