import { notImplemented } from './not-implemented.ts';

export default notImplemented('verify', '<archive>', "Check a recording's schema and integrity");
