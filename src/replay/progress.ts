import cliProgress from 'cli-progress';
import * as hdr from 'hdr-histogram-js';
import type { TurnEvent } from '../model/index.ts';
import type { Clock } from '../util/clock.ts';

/** Live counters of a run, shown while it plays. */
export interface ProgressSink {
  sessionEnded(): void;
  turn(event: TurnEvent): void;
  stop(): void;
}

/**
 * A live bar on a TTY (sessions done, turns/s, errors, p95) and plain lines every
 * `intervalMs` otherwise, so CI logs stay readable. Warm-up turns are counted but kept out of
 * the p95.
 */
export function createProgress(out: NodeJS.WritableStream & { isTTY?: boolean }, total: number, clock: Clock, warmupMs: number, intervalMs = 5000): ProgressSink {
  const started = clock.now();
  const hist = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000, numberOfSignificantValueDigits: 2 });
  let done = 0;
  let turns = 0;
  let errors = 0;
  const payload = () => {
    const seconds = Math.max(0.001, (clock.now() - started) / 1000);
    return { rate: (turns / seconds).toFixed(1), errors, p95: hist.totalCount === 0 ? '-' : String(hist.getValueAtPercentile(95)) };
  };
  let bar: cliProgress.SingleBar | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (out.isTTY) {
    bar = new cliProgress.SingleBar(
      { stream: out as NodeJS.WritableStream, format: 'sessions {bar} {value}/{total} | {rate} turns/s | errors {errors} | p95 {p95} ms', hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, payload());
  } else {
    timer = setInterval(() => {
      const p = payload();
      out.write(`progress: ${done}/${total} sessions, ${p.rate} turns/s, ${p.errors} errors, p95 ${p.p95} ms\n`);
    }, intervalMs);
    timer.unref();
  }
  return {
    sessionEnded() {
      done++;
      bar?.update(done, payload());
    },
    turn(event) {
      turns++;
      if (event.error !== undefined || event.status === 0 || event.status >= 500) errors++;
      if (event.intendedAt >= warmupMs) hist.recordValue(Math.max(1, Math.round(event.latencyMs)));
      bar?.update(done, payload());
    },
    stop() {
      clearInterval(timer);
      bar?.stop();
    },
  };
}
