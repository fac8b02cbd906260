export * from './exchange.ts';
export * from './exchange-name.ts';
export * from './session.ts';
export * from './manifest.ts';
export * from './finding.ts';
export * from './journal.ts';
