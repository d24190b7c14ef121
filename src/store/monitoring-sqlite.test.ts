import { describeMonitoringContract } from './monitoring.contract.js';
import { sqliteContractTarget } from './store.contract.js';

describeMonitoringContract('sqlite', () => sqliteContractTarget());
