import { notImplemented } from './not-implemented.ts';

export default notImplemented('report', '<run-dir>', "Re-render reports from a run's journal");
