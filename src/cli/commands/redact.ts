import { notImplemented } from './not-implemented.ts';

export default notImplemented('redact', '', 'Anonymize text from stdin, line for line');
