/** OTLP/JSON trace export → flat spans with decoded attributes (file exporter JSON or JSONL). */
import { HarnessError } from '../errors.ts';

export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** Epoch ms (fractional). */
  start: number;
  end: number;
  attributes: Record<string, unknown>;
  statusError: string | undefined;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
  kvlistValue?: { values?: Array<{ key: string; value: OtlpValue }> };
}

function decodeValue(v: OtlpValue | undefined): unknown {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(decodeValue);
  if (v.kvlistValue) return Object.fromEntries((v.kvlistValue.values ?? []).map((kv) => [kv.key, decodeValue(kv.value)]));
  return undefined;
}

function nanosToMs(value: unknown): number {
  if (typeof value === 'number') return value / 1e6;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(BigInt(value) / 1000n) / 1000;
  return Number.NaN;
}

function documents(text: string): unknown[] {
  try {
    return [JSON.parse(text)];
  } catch {
    // The collector's file exporter writes one export request per line.
    return text
      .split('\n')
      .filter((l) => l.trim())
      .map((line, i) => {
        try {
          return JSON.parse(line) as unknown;
        } catch (err) {
          throw new HarnessError('SCHEMA', `OTLP file line ${i + 1} is not JSON: ${(err as Error).message}`, { hint: 'export traces as OTLP/JSON (one request per file, or JSON lines)', cause: err });
        }
      });
  }
}

export function readSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const doc of documents(text)) {
    const resourceSpans = (doc as { resourceSpans?: unknown }).resourceSpans;
    if (!Array.isArray(resourceSpans)) throw new HarnessError('SCHEMA', 'not an OTLP/JSON trace export: no resourceSpans', { hint: 'expected {"resourceSpans": [{"scopeSpans": [{"spans": [...]}]}]}' });
    for (const rs of resourceSpans as Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>) {
      for (const ss of rs.scopeSpans ?? []) {
        for (const raw of (ss.spans ?? []) as Array<Record<string, unknown>>) {
          const attributes: Record<string, unknown> = {};
          for (const kv of (raw.attributes ?? []) as Array<{ key: string; value: OtlpValue }>) attributes[kv.key] = decodeValue(kv.value);
          const status = raw.status as { code?: number | string; message?: string } | undefined;
          const isError = status?.code === 2 || status?.code === 'STATUS_CODE_ERROR';
          spans.push({
            traceId: String(raw.traceId ?? ''),
            spanId: String(raw.spanId ?? ''),
            parentSpanId: raw.parentSpanId ? String(raw.parentSpanId) : undefined,
            name: String(raw.name ?? ''),
            start: nanosToMs(raw.startTimeUnixNano),
            end: nanosToMs(raw.endTimeUnixNano),
            attributes,
            statusError: isError ? (status?.message ?? 'error') : undefined,
          });
        }
      }
    }
  }
  return spans.filter((s) => Number.isFinite(s.start) && Number.isFinite(s.end));
}
