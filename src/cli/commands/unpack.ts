import { notImplemented } from './not-implemented.ts';

export default notImplemented('unpack', '<archive> <dir>', 'Unpack an archive into readable, pretty JSON files');
