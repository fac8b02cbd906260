import { notImplemented } from './not-implemented.ts';

export default notImplemented('merge-reports', '<dirs...>', 'Merge shard run directories into one report');
