/** The repro app factory (see docs/detectors.md) for the replayer tests' staging app. */
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { ReproAppFactory } from '../../src/repro/emit-test.ts';
import { startStagingApp } from './staging-app.ts';

export const startApp: ReproAppFactory = async ({ baseUrl }) => {
  const server = await startStagingApp(0, baseUrl('llm'));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    async send(input, { session }) {
      const res = await request(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input, session }) });
      const body = (await res.body.json()) as { reply: string };
      return { text: body.reply, status: res.statusCode };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
