/** Incidents: records with timelines, alerts that open them, escalation with signed acknowledge links, postmortems. */
export {
  acknowledgeIncident,
  addNote,
  findIncident,
  type IncidentContext,
  openIncident,
  PUBLIC_STATES,
  type PublicState,
  postUpdate,
  resolveIncident,
} from './actions.js';
export { type EngineTick, type IncidentEngineOptions, runIncidentTick } from './engine.js';
export { type EscalationPlan, planEscalation } from './escalation.js';
export { syncAlerts } from './from-alerts.js';
export { LINK_TTL_MS, linkKey, SIGNING_KEY_VAR, signAck, verifyAck } from './link.js';
export { acknowledgeByLink, checkAckLink, type LinkAckResult } from './link-ack.js';
export { type IncidentLoop, type IncidentLoopOptions, startIncidentLoop } from './loop.js';
export {
  handlePagerDutyEvent,
  type PagerDutyEventResult,
  verifyPagerDutySignature,
} from './pagerduty.js';
export { incidentDedupKey } from './pagerduty-events.js';
export { type EscalationState, type PolicySnapshot, snapshotPolicy, startEscalation } from './policy.js';
export { renderPostmortem } from './postmortem.js';
export { buildReport, type IncidentReport } from './report.js';
export { type Recipient, resolveTarget } from './targets.js';
export { type DeliveryFailure, obsoletePage, recordDeliveryFailure } from './undelivered.js';
