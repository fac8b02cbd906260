import { describe, expect, it } from 'vitest';
import { compilePolicy, createAnonymizer } from '../../src/anonymize/index.ts';
import { isSurrogate } from '../../src/anonymize/surrogates.ts';
import { ibanValid, luhnValid } from '../../src/anonymize/validators.ts';
import { KEY } from './fixture.ts';

const anon = () => createAnonymizer({ key: KEY });

describe('redactText', () => {
  it('maps the same value to the same surrogate, across texts and anonymizers with the same key', () => {
    const a = anon();
    const one = a.redactText('mail jane.doe@gmail.com now');
    const two = a.redactText('JANE.DOE@gmail.com wrote again');
    const surrogate = /(\S+@\S+\.example)/.exec(one)?.[1];
    expect(surrogate).toBeDefined();
    expect(two).toContain(surrogate);
    expect(anon().redactText('mail jane.doe@gmail.com now')).toBe(one);
    expect(createAnonymizer({ key: Buffer.alloc(32, 9) }).redactText('mail jane.doe@gmail.com now')).not.toBe(one);
  });

  it('produces format-preserving surrogates from reserved ranges', () => {
    const out = anon().redactText(
      'card 4539 1488 0343 6467, iban DE89 3704 0044 0532 0130 00, phone (415) 867-5309, ip 81.2.69.142, v6 2a00:1450:4001:81b::200e, ssn 123-45-6789',
    );
    const card = /card ([\d ]+),/.exec(out)?.[1] ?? '';
    expect(card).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    expect(luhnValid(card.replace(/ /g, ''))).toBe(true);
    const iban = /iban ([A-Z0-9 ]+),/.exec(out)?.[1] ?? '';
    expect(iban).toMatch(/^DE\d{2}(?: [A-Z0-9]{4}){4} [A-Z0-9]{2}$/);
    expect(ibanValid(iban.replace(/ /g, ''))).toBe(true);
    expect(out).toMatch(/phone \(\d{3}\) 555-01\d\d,/);
    expect(out).toMatch(/ip (?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d+,/);
    expect(out).toMatch(/v6 2001:db8:/);
    expect(out).toMatch(/ssn 000-\d\d-\d{4}/);
  });

  it('turns secrets into non-reversible tokens, the same for the same secret', () => {
    const a = anon();
    const out = a.redactText('OPENAI_API_KEY=sk-proj-Q3vX9aLm2pT8wRz4YbN6cK1dF7hJ0sE5uG2iO9nM4lB and again sk-proj-Q3vX9aLm2pT8wRz4YbN6cK1dF7hJ0sE5uG2iO9nM4lB');
    expect(out).toMatch(/^OPENAI_API_KEY=\[secret:openai_key:[0-9a-f]{6}\] and again \[secret:openai_key:[0-9a-f]{6}\]$/);
    const [t1, t2] = out.match(/\[secret:[^\]]+\]/g) ?? [];
    expect(t1).toBe(t2);
  });

  it('is idempotent: a second pass (same or fresh anonymizer) changes nothing', () => {
    const texts = [
      'Hi, my name is John Carter, email john@corp.com, phone +49 30 12345678, IBAN GB82 WEST 1234 5698 7654 32',
      'Ship to 12 Oak Lane, London SW1A 1AA. Card 5105105105105100. NI AB 12 34 56 C. DNI 12345678Z. CPF 111.444.777-35',
      'Saludos,\nLucía Fernández — Calle Mayor 5, 28013 Madrid',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc123def456 password=hunter2!x',
      '{"customer_name":"Ana Lopez","address":"Rua Augusta 1500","zip":"01310-100","token":"a8F3kL9mQ2xZ7vB4nP1r"}',
      'https://crm.internal/u/bob@corp.com?email=bob%40corp.com&api_key=abcd1234efgh5678ijkl',
    ];
    const a = anon();
    for (const t of texts) {
      const once = a.redactText(t);
      expect(once).not.toBe(t);
      expect(a.redactText(once)).toBe(once);
      expect(anon().redactText(once)).toBe(once);
    }
  });

  it('redacts JSON inside strings field-aware and leaves unchanged JSON byte for byte', () => {
    const a = anon();
    const args = JSON.stringify({ first_name: 'Olivia', email: 'olivia@x.io', password: 'pw-123456' });
    const out = JSON.parse(a.redactText(args)) as Record<string, string>;
    expect(out.first_name).not.toBe('Olivia');
    expect(isSurrogate('name', out.first_name ?? '')).toBe(true);
    expect(out.email).toMatch(/\.example$/);
    expect(out.password).toMatch(/^\[secret:credential:[0-9a-f]{6}\]$/);
    const clean = '{ "max_tokens": 1024,  "temperature": 0.7 }';
    expect(a.redactText(clean)).toBe(clean);
  });

  it('remembers names found from context and replaces later bare mentions', () => {
    const a = anon();
    const first = a.redactText('Hello, this is Priya Sharma.');
    const surrogate = /this is (\S+) (\S+)\./.exec(first);
    expect(surrogate).not.toBeNull();
    expect(a.redactText('Priya will call back')).toBe(`${surrogate?.[1]} will call back`);
    expect(a.redactText('Sharma account')).toBe(`${surrogate?.[2]} account`);
  });

  it('redacts URL path segments and query values decoded, and re-encodes them', () => {
    const out = anon().redactText('https://api.acme.test/users/jane%40gmail.com/orders?phone=%2B44%2020%207946%200958&q=refund');
    expect(out).not.toContain('jane');
    expect(out).not.toContain('7946');
    expect(out).toContain('q=refund');
    expect(decodeURIComponent(out)).toMatch(/\/users\/[a-z]+\.[0-9a-f]{6}@[a-z]+\.example\/orders/);
  });

  it('redacts form-encoded bodies by field', () => {
    const out = anon().redactText('email=jane%40gmail.com&name=Jane+Doe&password=hunter2&plan=pro');
    expect(out).not.toMatch(/jane|Jane|Doe|hunter2/);
    expect(out).toMatch(/^email=[a-z]+\.[0-9a-f]{6}%40[a-z]+\.example&name=[A-Z][a-z]+%20[A-Z][a-z]+&password=\[secret:credential:[0-9a-f]{6}\]&plan=pro$/);
  });

  it('never gives two different originals the same surrogate, even in small spaces', () => {
    const a = anon();
    const seen = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      const ip = `81.${(i >> 8) & 255}.${i & 255}.7`;
      const out = a.redactText(`from ${ip}`).slice(5);
      expect(seen.get(out) ?? ip).toBe(ip);
      seen.set(out, ip);
    }
    expect(seen.size).toBe(600);
  });

  it('applies policy rules, field rules and the allow-list', () => {
    const policy = compilePolicy(
      {
        id: 'acme/v2',
        rules: [
          { name: 'account_id', pattern: 'ACC-\\d{6}' },
          { name: 'internal_token', pattern: 'itk_[a-z0-9]{8}', kind: 'secret' },
        ],
        fields: [{ path: 'customer.loyalty', name: 'loyalty_id' }],
        allow: ['support@acme.com'],
      },
      'inline',
    );
    const a = createAnonymizer({ key: KEY, policy });
    expect(a.policyId).toBe('acme/v2');
    const out = a.redactText('account ACC-123456, token itk_abcd1234, write to support@acme.com or jane@acme.com');
    expect(out).toMatch(/^account [A-Z]{3}-\d{6}, token \[secret:internal_token:[0-9a-f]{6}\], write to support@acme\.com or \S+\.example$/);
    expect(out).not.toContain('ACC-123456');
    const value = a.redactValue({ customer: { loyalty: 'GOLD-77', other: 'GOLD-77' } }) as { customer: Record<string, string> };
    expect(value.customer.loyalty).not.toBe('GOLD-77');
    expect(value.customer.other).toBe('GOLD-77');
    const wild = createAnonymizer({ key: KEY, policy: compilePolicy({ id: 'w', fields: [{ path: 'payments.*.ref', name: 'ref', kind: 'secret' }] }, 'inline') });
    const paid = wild.redactValue({ payments: [{ ref: 'R-1' }, { ref: 'R-2', note: 'R-1' }] }) as { payments: Array<Record<string, string>> };
    expect(paid.payments.map((p) => p.ref)).toEqual([expect.stringMatching(/^\[secret:ref:/), expect.stringMatching(/^\[secret:ref:/)]);
    expect(paid.payments[1]?.note).toBe('R-1');
  });

  it('leaves hard negatives alone', () => {
    const a = anon();
    for (const t of [
      'Order ORD-2024-118833 shipped on 2024-03-15T10:22:01Z',
      'upgrade node to 24.21.0, listening on :8080',
      'id 550e8400-e29b-41d4-a716-446655440000 sha 9b74c9897bac770ffc029102a200c5de',
      'ISBN 978-3-16-148410-0 costs $1,299.99; ref 4111 1111 1111 1112',
      'Use the get_weather tool with {"city": "Paris"}',
    ]) {
      expect(a.redactText(t)).toBe(t);
    }
  });
});
