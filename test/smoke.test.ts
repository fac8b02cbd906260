import { test, expect } from 'vitest';
test('node', () => { expect(process.versions.node.split('.')[0]).toBe('24'); });
