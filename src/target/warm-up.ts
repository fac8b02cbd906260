import type { Pool } from 'undici';
import { errorMessage } from '../errors.ts';
import type { WarmUpRequest, WarmUpResult } from './types.ts';

/** Distinct failure descriptions kept per warm-up: enough to tell what went wrong, bounded. */
const MAX_ERRORS = 5;

/**
 * Sends `request.connections` `GET request.path` at once through `pool`. The requests are
 * dispatched in the same tick, and a pipelining-1 Pool gives a request to an idle client or
 * else opens a new one (up to its bound), so N concurrent requests leave N keep-alive sockets
 * open. Each request times out after `timeoutMs`; a failure (transport error or status ≥ 400)
 * is counted and described, never thrown: the run goes on with whatever is open.
 */
export async function warmUpPool(pool: Pool, request: WarmUpRequest, timeoutMs: number): Promise<WarmUpResult> {
  const what = `GET ${request.path}`;
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]);
  const outcomes = await Promise.all(
    Array.from({ length: request.connections }, async (): Promise<string | undefined> => {
      try {
        const res = await pool.request({ path: request.path, method: 'GET', signal });
        await res.body.dump();
        return res.statusCode >= 400 ? `${what}: ${res.statusCode}` : undefined;
      } catch (err) {
        const code = (err as { code?: string }).code;
        return `${what}: ${code ? `${code} ` : ''}${errorMessage(err)}`;
      }
    }),
  );
  const failures = outcomes.filter((o): o is string => o !== undefined);
  return { open: pool.stats.connected, ok: outcomes.length - failures.length, failed: failures.length, errors: [...new Set(failures)].slice(0, MAX_ERRORS) };
}
