import { notImplemented } from './not-implemented.ts';

export default notImplemented('scan', '<archive>', 'Audit a recording for residual PII and secrets');
