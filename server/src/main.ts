import { startDaemon } from './daemon';

startDaemon();
