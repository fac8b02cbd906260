import { notImplemented } from './not-implemented.ts';

export default notImplemented('import', '<format> <file>', 'Import a HAR or OTLP file as a recording');
