import { notImplemented } from './not-implemented.ts';

export default notImplemented('inspect', '<archive>', 'Show sessions, turns, exchanges and segments of a recording');
