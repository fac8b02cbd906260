import { notImplemented } from './not-implemented.ts';

export default notImplemented('pack', '<dir> <archive>', 'Pack an unpacked recording folder into an archive (byte-stable)');
