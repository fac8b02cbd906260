import { notImplemented } from './not-implemented.ts';

export default notImplemented('anonymize', '<in> <out>', 'Anonymize a raw recording');
