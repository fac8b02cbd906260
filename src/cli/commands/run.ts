import { notImplemented } from './not-implemented.ts';

export default notImplemented('run', '<scenario>', 'Replay recorded sessions against staging as a scenario describes');
