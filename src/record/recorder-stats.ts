/** Counters every recorder keeps; `snapshot()` is what `--stats` prints and `recorder.stats()` returns. */
export interface RecorderStats {
  /** Sessions written to the archive. */
  recordedSessions: number;
  recordedTurns: number;
  recordedExchanges: number;
  /** Sessions not recorded, by reason. */
  dropped: {
    /** Not in the `--sample` fraction (decided per session id). */
    sampledOut: number;
    /** Over a `--segment-cap`. */
    segmentCap: number;
    /** The write queue was full: the archive could not keep up. */
    queueFull: number;
    /** Anonymization threw: dropped, never written raw (fail closed). */
    anonymizeFailed: number;
    /** The archive writer failed. */
    writeFailed: number;
  };
  /** Dependency calls that could not be tied to a session and turn. */
  unattributedCalls: number;
  /** Inbound requests with no session id (health checks, assets): passed through, not recorded. */
  ignoredRequests: number;
  /** Errors inside the recorder itself, isolated from the request path. */
  recorderErrors: number;
  openSessions: number;
  queuedSessions: number;
  archives: string[];
}

export function emptyStats(): RecorderStats {
  return {
    recordedSessions: 0,
    recordedTurns: 0,
    recordedExchanges: 0,
    dropped: { sampledOut: 0, segmentCap: 0, queueFull: 0, anonymizeFailed: 0, writeFailed: 0 },
    unattributedCalls: 0,
    ignoredRequests: 0,
    recorderErrors: 0,
    openSessions: 0,
    queuedSessions: 0,
    archives: [],
  };
}

/** One line for `--stats` and shutdown. */
export function formatStats(s: RecorderStats): string {
  const d = s.dropped;
  const dropped = d.sampledOut + d.segmentCap + d.queueFull + d.anonymizeFailed + d.writeFailed;
  return (
    `recorded ${s.recordedSessions} sessions (${s.recordedTurns} turns, ${s.recordedExchanges} exchanges), ` +
    `open ${s.openSessions}, dropped ${dropped} (sampled-out ${d.sampledOut}, segment-cap ${d.segmentCap}, ` +
    `queue-full ${d.queueFull}, anonymize-failed ${d.anonymizeFailed}, write-failed ${d.writeFailed}), ` +
    `unattributed calls ${s.unattributedCalls}, ignored requests ${s.ignoredRequests}, recorder errors ${s.recorderErrors}`
  );
}
