import { notImplemented } from './not-implemented.ts';

export default notImplemented('repro', '[run-dir] [instance]', 'Replay one session exactly, printing every turn, call and fault');
