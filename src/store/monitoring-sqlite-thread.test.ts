import { describeMonitoringContract } from './monitoring.contract.js';
import { sqliteContractTarget } from './store.contract.js';

// The store `serve` opens: the same contract with the connection on its worker thread.
describeMonitoringContract('sqlite on a thread', () => sqliteContractTarget({ thread: true }));
