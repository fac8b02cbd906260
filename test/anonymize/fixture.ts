import type { Session } from '../../src/model/index.ts';

export const KEY = Buffer.from('7f1c9a0b3e5d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3a5b7d9f1b3d5e7a9c0b', 'hex');

/** Known PII and secrets seeded into a session; none of these strings may survive anonymization. */
export const SEEDED = {
  email: 'jane.doe@gmail.com',
  email2: 'ops.lead@acme-corp.com',
  phone: '+44 20 7946 0958',
  card: '4539 1488 0343 6467',
  iban: 'DE89 3704 0044 0532 0130 00',
  ipv4: '81.2.69.142',
  ssn: '123-45-6789',
  firstName: 'Jennifer',
  lastName: 'Okafor',
  address: '221B Baker Street',
  openaiKey: 'sk-proj-Q3vX9aLm2pT8wRz4YbN6cK1dF7hJ0sE5uG2iO9nM4lB',
  anthropicKey: 'sk-ant-api03-Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1Jh0Gf9Ed8Cb7Aa6Bb5Cc4Dd3Ee2Ff1Gg0Hh9Ii8Jj7Kk-AA',
  awsKey: 'AKIAZ7QW3ERT5YUI9OPA',
  githubToken: 'ghp_R4nd0mT0k3nV4lu3F0rT3st1ngPurp0s3sXy',
  jwt: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyXzQyIiwiaWF0IjoxNzE2MDAwMDAwfQ.Sfl9KxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  password: 'Winter2024!Secret',
  bearer: 'dG9rZW4tdmFsdWUtZm9yLXRlc3RzLTEyMzQ1Njc4OTA',
  cookie: 'session=9f8e7d6c5b4a3f2e1d0c',
  urlPassword: 'pg_S3cretPass',
} as const;

const s = SEEDED;

/** A raw session with the seeded values everywhere a recording can hold text. */
export function seededSession(id = 'sess-0001'): Session {
  const conversation = [
    { role: 'system', content: 'You are the Acme support assistant.' },
    { role: 'user', content: `Hi, my name is ${s.firstName} ${s.lastName}, my email is ${s.email}` },
  ];
  return {
    id,
    startedAt: '2026-03-01T10:00:00.000Z',
    segment: { language: 'en', channel: 'web' },
    identities: [],
    turns: [
      {
        index: 0,
        offsetMs: 0,
        input: {
          text: `Hi, my name is ${s.firstName} ${s.lastName}, my email is ${s.email} and my phone is ${s.phone}`,
          request: {
            method: 'POST',
            url: `https://app.acme.test/chat?user=${encodeURIComponent(s.email)}&token=${s.githubToken}`,
            headers: { authorization: `Bearer ${s.bearer}`, cookie: s.cookie, 'content-type': 'application/json', 'x-user-email': s.email },
            body: { message: `I live at ${s.address}`, customer_name: `${s.firstName} ${s.lastName}`, password: s.password },
          },
        },
        output: {
          status: 200,
          text: `Thanks ${s.firstName}! I found your card ending 6467.`,
          structured: { customer: { email: s.email, ip: s.ipv4 } },
          latencyMs: 900,
        },
        exchanges: [
          {
            kind: 'llm',
            name: 'gpt-4o-mini',
            dependency: 'openai',
            path: '/v1/chat/completions',
            request: {
              method: 'POST',
              url: 'https://api.openai.com/v1/chat/completions',
              headers: { authorization: `Bearer ${s.openaiKey}`, 'content-type': 'application/json' },
              body: { model: 'gpt-4o-mini', stream: true, messages: conversation },
            },
            response: {
              status: 200,
              headers: { 'content-type': 'text/event-stream', 'set-cookie': s.cookie },
              chunks: [
                { offsetMs: 120, data: `data: {"choices":[{"delta":{"content":"Hello ${s.firstName}, "}}]}\n\n` },
                {
                  offsetMs: 180,
                  data: `data: {"choices":[{"delta":{"tool_calls":[{"function":{"name":"lookup_customer","arguments":"{\\"email\\":\\"${s.email}\\",\\"ssn\\":\\"${s.ssn}\\"}"}}]}}]}\n\n`,
                },
                { offsetMs: 240, data: 'data: [DONE]\n\n' },
              ],
            },
            startOffsetMs: 10,
            durationMs: 250,
            llm: {
              format: 'openai-chat',
              model: 'gpt-4o-mini',
              stream: true,
              messages: conversation as Array<{ role: 'system' | 'user'; content: string }>,
              output: [
                {
                  role: 'assistant',
                  content: `Hello ${s.firstName}, `,
                  toolCalls: [{ id: 'call_1', name: 'lookup_customer', arguments: JSON.stringify({ email: s.email, ssn: s.ssn }) }],
                },
              ],
            },
          },
          {
            kind: 'tool',
            name: 'lookup_customer',
            dependency: 'crm',
            path: `/customers/${encodeURIComponent(s.email)}?iban=${encodeURIComponent(s.iban)}`,
            request: {
              method: 'GET',
              url: `https://admin:${s.urlPassword}@crm.internal/customers/${encodeURIComponent(s.email)}?iban=${encodeURIComponent(s.iban)}`,
              headers: { 'x-api-key': s.anthropicKey, 'x-forwarded-for': s.ipv4 },
            },
            response: {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: {
                customer: { first_name: s.firstName, last_name: s.lastName, email: s.email, phone: s.phone, card: s.card, iban: s.iban },
                notes: `Escalated by ${s.email2}; AWS key ${s.awsKey} leaked in ticket; token ${s.jwt}`,
              },
            },
            startOffsetMs: 300,
            durationMs: 40,
          },
          {
            kind: 'retrieval',
            name: 'kb',
            dependency: 'search',
            path: '/search',
            request: { method: 'POST', url: 'https://search.internal/search', headers: {}, body: { query: `refund for ${s.email}` } },
            response: { status: 200, headers: {}, body: { documents: [{ id: 'kb-1', text: `Customer ${s.firstName} ${s.lastName} (SSN ${s.ssn}) asked for a refund.` }] } },
            startOffsetMs: 350,
            durationMs: 20,
            error: { code: 'http_500', message: `upstream rejected ${s.email}` },
          },
        ],
      },
      {
        index: 1,
        offsetMs: 5000,
        input: { text: `It's ${s.firstName} again. Card ${s.card}, IBAN ${s.iban}, SSN ${s.ssn}.` },
        output: { status: 200, text: `Got it, ${s.firstName}. Your ticket is #48213.`, latencyMs: 700 },
        exchanges: [],
      },
    ],
  } as Session;
}
