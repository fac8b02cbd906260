import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { HarnessError } from '../errors.ts';
import type { JournalEvent } from '../model/index.ts';

/**
 * Append-only JSONL writer for the run journal. Each event is one line written as the run goes,
 * so a killed run leaves every completed line on disk for `--resume` and `rehearse report`.
 * Writes are queued in order; `close()` flushes.
 */
export class JournalWriter {
  readonly path: string;
  #stream: WriteStream;
  #failed: Error | undefined;

  private constructor(path: string, stream: WriteStream) {
    this.path = path;
    this.#stream = stream;
    stream.on('error', (err) => {
      this.#failed = err;
    });
  }

  /** Opens (appending to) the journal at `path`. */
  static async open(path: string): Promise<JournalWriter> {
    const stream = createWriteStream(path, { flags: 'a' });
    try {
      await once(stream, 'open');
    } catch (err) {
      throw new HarnessError('IO', `cannot open run journal ${path}`, { cause: err, hint: 'check that the run directory is writable' });
    }
    return new JournalWriter(path, stream);
  }

  append(event: JournalEvent): void {
    if (this.#failed) throw new HarnessError('IO', `writing run journal ${this.path} failed: ${this.#failed.message}`, { cause: this.#failed });
    this.#stream.write(JSON.stringify(event) + '\n');
  }

  async close(): Promise<void> {
    if (this.#stream.closed) return;
    this.#stream.end();
    await once(this.#stream, 'close');
    if (this.#failed) throw new HarnessError('IO', `writing run journal ${this.path} failed: ${this.#failed.message}`, { cause: this.#failed });
  }
}
