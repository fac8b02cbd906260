/**
 * The `target:` section of a scenario: how turns reach the staging app (HTTP JSON, SSE,
 * a browser page or an in-process function) and how the app is started. Templates are
 * described in `schema.ts`.
 */
import { z } from 'zod';
import { Duration } from '../util/duration.ts';

/** A process rehearsal starts and waits for (the staging app, or a dependency). */
export const StartCommand = z
  .object({
    command: z.string(),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).default({}),
    /** Health URL polled until it answers 2xx. */
    health: z.string(),
    timeout: Duration.default(30_000),
  })
  .strict();

const RequestTemplate = z
  .object({
    method: z.string().default('POST'),
    path: z.string().default('/'),
    headers: z.record(z.string(), z.string()).default({}),
    /** JSON body; strings inside may hold templates. */
    body: z.unknown().optional(),
  })
  .strict();

const targetCommon = {
  /** Base URL of the staging app; may use `{{port}}` when `start` is given. */
  url: z.string(),
  start: StartCommand.optional(),
  timeout: Duration.default(30_000),
};

const HttpTarget = z
  .object({
    type: z.literal('http'),
    ...targetCommon,
    request: RequestTemplate.default({ method: 'POST', path: '/', headers: {} }),
    /** JSON pointers into the reply body. */
    reply: z.object({ text: z.string(), structured: z.string().optional() }).strict(),
  })
  .strict();

const SseTarget = z
  .object({
    type: z.literal('sse'),
    ...targetCommon,
    request: RequestTemplate.default({ method: 'POST', path: '/', headers: {} }),
    stream: z
      .object({
        /** Event types whose data carries reply text pieces. */
        textEvents: z.array(z.string()).default(['message']),
        /** JSON pointer into each text event's data; the data itself when absent. */
        textField: z.string().optional(),
        /** The event carrying the final result, if any. */
        finalEvent: z.string().optional(),
        /** JSON pointers into the final event's data. */
        finalText: z.string().optional(),
        structured: z.string().optional(),
        /** A data line that ends the stream, e.g. `[DONE]`. */
        doneData: z.string().optional(),
      })
      .strict()
      .default({ textEvents: ['message'] }),
  })
  .strict();

const BrowserTarget = z
  .object({
    type: z.literal('browser'),
    ...targetCommon,
    page: z
      .object({
        /** Path of the chat page; `{{session}}` allowed. */
        path: z.string().default('/'),
        input: z.string(),
        send: z.string(),
        /** Selector matching assistant messages; the last one is the reply. */
        reply: z.string(),
        /** Selector visible while the app is answering. */
        busy: z.string().optional(),
      })
      .strict(),
    executablePath: z.string().default('/usr/bin/chromium'),
  })
  .strict();

const FunctionTarget = z
  .object({
    type: z.literal('function'),
    /** Module path exporting `async (input, context) => reply`. */
    module: z.string(),
    export: z.string().default('default'),
    start: StartCommand.optional(),
    timeout: Duration.default(30_000),
  })
  .strict();

export const Target = z.discriminatedUnion('type', [HttpTarget, SseTarget, BrowserTarget, FunctionTarget]);
export type Target = z.infer<typeof Target>;
