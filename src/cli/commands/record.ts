import { notImplemented } from './not-implemented.ts';

export default notImplemented('record', '', 'Record sessions through a proxy in front of the app');
