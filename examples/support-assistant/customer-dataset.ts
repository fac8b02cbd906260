import type { Language } from './language.ts';
import { rngFor, type Rng } from './seeded-random.ts';

/**
 * The "production" customer data behind the tools service, and the identities the user
 * generator plays. Generated from a fixed seed, so every run, test and recording sees the
 * same customers, orders and ids.
 */
export interface OrderItem {
  readonly sku: string;
  readonly name: string;
  readonly quantity: number;
  readonly unit_price: number;
}

export interface Order {
  readonly order_id: string;
  readonly customer_email: string;
  readonly status: 'processing' | 'shipped' | 'delivered' | 'delayed' | 'returned' | 'cancelled';
  readonly items: readonly OrderItem[];
  readonly total: number;
  readonly currency: string;
  readonly placed_at: string;
  readonly carrier: string | null;
  readonly tracking_number: string | null;
  readonly estimated_delivery: string | null;
}

export interface Customer {
  readonly customer_id: string;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly plan: 'free' | 'plus' | 'business';
  readonly locale: Language;
  readonly city: string;
  readonly created_at: string;
  readonly orders: readonly Order[];
}

const NAMES: Readonly<Record<Language, { first: readonly string[]; last: readonly string[]; cities: readonly string[] }>> = {
  en: {
    first: ['Olivia', 'James', 'Amelia', 'Noah', 'Grace', 'Ethan', 'Priya', 'Marcus', 'Hannah', 'Daniel', 'Chloe', 'Samuel', 'Aisha', 'Liam'],
    last: ['Bennett', 'Carter', 'Nguyen', 'Okafor', 'Patel', 'Reid', 'Sullivan', 'Thompson', 'Walsh', 'Young', 'Hughes', 'Murphy'],
    cities: ['Leeds', 'Denver', 'Toronto', 'Bristol', 'Austin', 'Dublin', 'Portland'],
  },
  es: {
    first: ['Lucía', 'Mateo', 'Carmen', 'Javier', 'Sofía', 'Diego', 'Elena', 'Pablo'],
    last: ['García', 'Fernández', 'López', 'Martínez', 'Romero', 'Navarro', 'Ortega'],
    cities: ['Madrid', 'Sevilla', 'Valencia', 'Bilbao'],
  },
  de: {
    first: ['Lena', 'Jonas', 'Mia', 'Felix', 'Hannah', 'Lukas', 'Sophie', 'Maximilian'],
    last: ['Müller', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker', 'Hoffmann'],
    cities: ['Berlin', 'München', 'Hamburg', 'Köln'],
  },
  fr: {
    first: ['Camille', 'Louis', 'Chloé', 'Hugo', 'Manon', 'Jules', 'Léa', 'Antoine'],
    last: ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Lefèvre', 'Girard'],
    cities: ['Lyon', 'Paris', 'Nantes', 'Bordeaux'],
  },
};

const PRODUCTS: ReadonlyArray<readonly [string, string, number]> = [
  ['TNT-2P', 'Ridgeline 2-person tent', 249],
  ['BAG-35', 'Trailhead 35 L backpack', 129],
  ['SLP-MUM', 'Alpine down sleeping bag', 189],
  ['BTS-HK', 'Granite hiking boots', 159],
  ['JKT-RN', 'Stormshell rain jacket', 119],
  ['STV-CMP', 'Pocket camping stove', 49],
  ['LMP-HD', 'Beacon headlamp', 35],
  ['BTL-1L', 'Insulated bottle 1 L', 29],
  ['PAD-SL', 'Inflatable sleeping pad', 89],
  ['PLS-TRK', 'Carbon trekking poles', 99],
];

const CARRIERS = ['UPS', 'DHL', 'FedEx', 'USPS', 'La Poste', 'Correos'];
const STATUSES: ReadonlyArray<readonly [Order['status'], number]> = [
  ['delivered', 4],
  ['shipped', 3],
  ['processing', 2],
  ['delayed', 2],
  ['returned', 1],
  ['cancelled', 1],
];

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function phoneFor(locale: Language, rng: Rng): string {
  const digits = (n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  if (locale === 'es') return `+34 6${digits(2)} ${digits(3)} ${digits(3)}`;
  if (locale === 'de') return `+49 15${digits(1)} ${digits(7)}`;
  if (locale === 'fr') return `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
  // 555-01xx is the fictional range; the area code keeps phones distinct across customers.
  return `+1 ${rng.pick(['303', '415', '512', '617', '720', '971'])} 555-01${digits(2)}`;
}

function isoDay(rng: Rng, fromDay: number, toDay: number): string {
  // Days after 2025-01-01, so dates are fixed and need no clock.
  return new Date(Date.UTC(2025, 0, 1) + rng.int(fromDay, toDay) * 86_400_000).toISOString().slice(0, 10);
}

function buildOrder(seed: string, customerIndex: number, orderIndex: number, email: string, locale: Language): Order {
  const rng = rngFor(seed, 'order', customerIndex, orderIndex);
  const items = Array.from({ length: rng.int(1, 3) }, () => {
    const [sku, name, price] = rng.pick(PRODUCTS);
    return { sku, name, quantity: rng.chance(0.8) ? 1 : 2, unit_price: price };
  });
  const status = rng.weighted(STATUSES);
  const shipped = status === 'shipped' || status === 'delivered' || status === 'delayed' || status === 'returned';
  const carrier = shipped ? rng.pick(CARRIERS) : null;
  return {
    order_id: `ORD-${100000 + customerIndex * 97 + orderIndex * 7919 + rng.int(0, 50)}`,
    customer_email: email,
    status,
    items,
    total: items.reduce((sum, item) => sum + item.quantity * item.unit_price, 0),
    currency: locale === 'en' ? 'USD' : 'EUR',
    placed_at: isoDay(rng, 150, 300),
    carrier,
    tracking_number: carrier ? `${carrier.slice(0, 2).toUpperCase().replace(' ', '')}${rng.int(100000000, 999999999)}` : null,
    estimated_delivery: status === 'cancelled' || status === 'returned' ? null : isoDay(rng, 300, 330),
  };
}

/** Builds `count` customers from `seed`; about one in five writes in Spanish, German or French. */
export function buildCustomers(seed: string, count: number): Customer[] {
  const customers: Customer[] = [];
  const usedEmails = new Set<string>();
  const usedPhones = new Set<string>();
  for (let i = 0; i < count; i++) {
    const rng = rngFor(seed, 'customer', i);
    const locale = rng.weighted<Language>([['en', 80], ['es', 7], ['de', 7], ['fr', 6]]);
    const names = NAMES[locale];
    const first = rng.pick(names.first);
    const last = rng.pick(names.last);
    const domain = rng.pick(['example.com', 'example.org', 'example.net', 'mail.example']);
    let email = `${stripAccents(first)}.${stripAccents(last)}@${domain}`;
    if (usedEmails.has(email)) email = `${stripAccents(first)}.${stripAccents(last)}${i}@${domain}`;
    usedEmails.add(email);
    let phone = phoneFor(locale, rng);
    while (usedPhones.has(phone)) phone = phoneFor(locale, rng);
    usedPhones.add(phone);
    customers.push({
      customer_id: `CUS-${String(10_000 + i * 37).padStart(6, '0')}`,
      name: `${first} ${last}`,
      email,
      phone,
      plan: rng.weighted<Customer['plan']>([['free', 6], ['plus', 3], ['business', 1]]),
      locale,
      city: rng.pick(names.cities),
      created_at: isoDay(rng, -900, 100),
      orders: Array.from({ length: rng.int(1, 3) }, (_, j) => buildOrder(seed, i, j, email, locale)),
    });
  }
  return customers;
}

/** The seeded dataset every component shares. */
export const CUSTOMERS: readonly Customer[] = buildCustomers('northwind-customers-v1', 48);

const BY_EMAIL = new Map(CUSTOMERS.map((customer) => [customer.email.toLowerCase(), customer]));
const ORDERS = new Map(CUSTOMERS.flatMap((customer) => customer.orders.map((order) => [order.order_id.toUpperCase(), order] as const)));

export function findCustomerByEmail(email: string): Customer | undefined {
  return BY_EMAIL.get(email.trim().toLowerCase());
}

export function findOrder(orderId: string): Order | undefined {
  return ORDERS.get(orderId.trim().toUpperCase());
}
