/**
 * Real recordings of the demo support assistant for the detector end-to-end tests: each
 * session is played turn by turn against the fixed app and its production dependencies
 * through a capturing proxy (`recordDemoSession`), then anonymized by the real anonymizer,
 * which fills the identity table that replay re-keys into per-instance canaries.
 */
import { CUSTOMERS, type Customer } from '../../../examples/support-assistant/customer-dataset.ts';
import { createAnonymizer } from '../../../src/anonymize/index.ts';
import type { Session } from '../../../src/model/index.ts';
import { recordDemoSession } from '../../repro/record-demo-session.ts';

/** A fixed test key: the same recording bytes in every run of the suite. */
const KEY = Buffer.alloc(32, 0x2e);

/** Records one demo session with these user inputs and returns it anonymized. */
export async function recordAnonymized(id: string, inputs: readonly string[]): Promise<Session> {
  const raw = await recordDemoSession(id, inputs);
  return createAnonymizer({ key: KEY }).anonymizeSession(raw);
}

/** A customer of the demo dataset who has at least one order. */
export function customerWithOrder(index: number): Customer & { orderId: string } {
  const withOrders = CUSTOMERS.filter((c) => c.orders.length > 0);
  const customer = withOrders[index % withOrders.length] as Customer;
  return { ...customer, orderId: (customer.orders[0] as { order_id: string }).order_id };
}
