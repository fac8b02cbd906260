import { isIP } from 'node:net';
import { HarnessError } from '../errors.ts';
import { renderTemplate } from '../scenario/templates.ts';
import type { Scenario } from '../scenario/schema.ts';

/** True for `localhost`, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function allowed(hostname: string, allowHosts: readonly string[]): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return allowHosts.some((pattern) => {
    const p = pattern.toLowerCase();
    return p.startsWith('*.') ? host.endsWith(p.slice(1)) : host === p;
  });
}

/**
 * The production guard: the target and every dependency upstream (proxy mode or passthrough)
 * must be loopback or listed in `allowHosts`. Checked before a single request is sent; every
 * refused address is named in one `HarnessError('GUARD')`.
 */
export function checkProductionGuard(scenario: Scenario): void {
  const refused: string[] = [];
  const check = (what: string, raw: string) => {
    // {{port}} / {{deps.*}} do not change the host of a well-formed URL; render with placeholders.
    const text = renderTemplate(raw, { port: 1, deps: Object.fromEntries(Object.keys(scenario.dependencies).map((d) => [d, 'http://127.0.0.1'])) });
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      refused.push(`${what} ${raw} is not a URL`);
      return;
    }
    if (!isLoopbackHost(url.hostname) && !allowed(url.hostname, scenario.allowHosts)) refused.push(`${what} ${url.origin}`);
  };
  if (scenario.target.type !== 'function') check('target.url', scenario.target.url);
  for (const [name, dep] of Object.entries(scenario.dependencies)) {
    const forwards = dep.mode === 'proxy' || dep.unmatched === 'passthrough';
    if (forwards && dep.upstream !== undefined) check(`dependencies.${name}.upstream`, dep.upstream);
  }
  if (refused.length > 0) {
    throw new HarnessError('GUARD', `production guard refused ${refused.join('; ')}: not loopback and not in allowHosts`, {
      hint: 'rehearsal only talks to loopback unless told otherwise; add the staging host to `allowHosts:` in the scenario if it really is staging',
    });
  }
}
