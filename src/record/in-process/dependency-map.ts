/** Names an outbound call's dependency from its URL: the configured base it falls under, else its host. */
export interface DependencyRoute {
  dependency: string;
  /** Path + query relative to the dependency's base. */
  path: string;
  /** True when a configured base matched. */
  configured: boolean;
}

export class DependencyMap {
  readonly #bases: Array<{ name: string; prefix: string }>;

  constructor(deps: Record<string, string>) {
    // Longest base first, so `http://h/api/v2` wins over `http://h/api`.
    this.#bases = Object.entries(deps)
      .map(([name, url]) => ({ name, prefix: url.replace(/\/$/, '') }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
  }

  route(url: string): DependencyRoute {
    for (const base of this.#bases) {
      if (url === base.prefix || url.startsWith(`${base.prefix}/`) || url.startsWith(`${base.prefix}?`)) {
        const rest = url.slice(base.prefix.length);
        return { dependency: base.name, path: rest.startsWith('/') ? rest : `/${rest}`, configured: true };
      }
    }
    try {
      const u = new URL(url);
      return { dependency: u.host, path: u.pathname + u.search, configured: false };
    } catch {
      return { dependency: 'unknown', path: url, configured: false };
    }
  }
}
