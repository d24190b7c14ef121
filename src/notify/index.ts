/** Notifications: console, Slack, signed webhook, email and PagerDuty senders with retries, and the outbox that delivers alerts once. */
export { signPayload, webhookBody } from './channels.js';
export { emailText } from './email.js';
export { missingChannelSecrets } from './missing-secrets.js';
export { type DeliverOutboxOptions, type DeliveryReport, deliverOutbox } from './outbox.js';
export {
  PAGERDUTY_URL,
  type PagerDutyAction,
  pagerDutyAction,
  pagerDutyBody,
  pagerDutyDedupKey,
} from './pagerduty.js';
export { resolveSecret } from './secret.js';
export { broadcast, type SendOptions, send } from './send.js';
export type { AlertGroupNotice, ChannelContext, Notification, SendResult } from './types.js';
