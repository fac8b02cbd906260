import { findCustomerByEmail, findOrder } from './customer-dataset.ts';

/**
 * The "production" tools service: order and account lookups over the seeded dataset, and a
 * ticket desk. Pure request → response functions; `deps-server.ts` puts them on HTTP.
 */
export interface ServiceResponse {
  readonly status: number;
  readonly body: unknown;
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function lookupOrder(body: unknown): ServiceResponse {
  const orderId = field(body, 'order_id');
  if (orderId === undefined) return { status: 400, body: { error: 'bad_request', message: '"order_id" is required' } };
  const order = findOrder(orderId);
  if (!order) return { status: 404, body: { error: 'not_found', message: `no order with id ${orderId}` } };
  return { status: 200, body: order };
}

export function lookupAccount(body: unknown): ServiceResponse {
  const email = field(body, 'email');
  if (email === undefined) return { status: 400, body: { error: 'bad_request', message: '"email" is required' } };
  const customer = findCustomerByEmail(email);
  if (!customer) return { status: 404, body: { error: 'not_found', message: `no account for ${email}` } };
  const { orders, locale: _locale, ...profile } = customer;
  return { status: 200, body: { ...profile, order_ids: orders.map((order) => order.order_id) } };
}

export interface Ticket {
  readonly ticket_id: string;
  readonly status: 'open';
  readonly summary: string;
  readonly email: string | null;
  readonly order_id: string | null;
  readonly created_at: string;
}

/** Tickets in memory; an `idempotency-key` seen before returns the ticket it created. */
export class TicketDesk {
  readonly #tickets: Ticket[] = [];
  readonly #byKey = new Map<string, Ticket>();
  #next = 100_001;

  create(body: unknown, idempotencyKey: string | undefined, now = new Date()): ServiceResponse {
    const summary = field(body, 'summary');
    if (summary === undefined) return { status: 400, body: { error: 'bad_request', message: '"summary" is required' } };
    const existing = idempotencyKey === undefined ? undefined : this.#byKey.get(idempotencyKey);
    if (existing) return { status: 200, body: existing };
    const ticket: Ticket = {
      ticket_id: `TCK-${this.#next++}`,
      status: 'open',
      summary: summary.slice(0, 2_000),
      email: field(body, 'email') ?? null,
      order_id: field(body, 'order_id') ?? null,
      created_at: now.toISOString(),
    };
    this.#tickets.push(ticket);
    if (idempotencyKey !== undefined) this.#byKey.set(idempotencyKey, ticket);
    return { status: 201, body: ticket };
  }

  get tickets(): readonly Ticket[] {
    return this.#tickets;
  }
}
