import { notImplemented } from './not-implemented.ts';

export default notImplemented('find', '<recording>', 'Find recorded sessions by production id or time');
