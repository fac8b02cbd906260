/** `--rotate 100MB|1h`: when the recorder starts a new archive file, and what it is called. */
import { HarnessError } from '../errors.ts';
import { parseDuration } from '../util/duration.ts';

export type RotatePolicy = { bytes: number } | { ms: number };

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

export function parseRotate(spec: string): RotatePolicy {
  const size = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)$/i.exec(spec.trim());
  if (size) return { bytes: Number(size[1]) * (SIZE_UNITS[(size[2] as string).toLowerCase()] as number) };
  try {
    return { ms: parseDuration(spec) };
  } catch {
    throw new HarnessError('USAGE', `--rotate ${JSON.stringify(spec)} is neither a size nor a duration`, {
      hint: 'e.g. --rotate 100MB (size of sessions written) or --rotate 1h',
    });
  }
}

/** `recordings/prod.tar.gz`, 3 → `recordings/prod-0003.tar.gz`. */
export function rotatedPath(path: string, n: number): string {
  const m = /^(.*?)((?:\.tar)?(?:\.gz|\.tgz)?|\.tar)$/.exec(path);
  const stem = m?.[1] || path;
  const ext = m?.[1] ? (m[2] ?? '') : '';
  return `${stem}-${String(n).padStart(4, '0')}${ext}`;
}
