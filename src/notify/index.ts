/** Notifications: channel senders (console, Slack, signed webhook) with retries that never block the caller. */
export { signPayload } from './channels.js';
export { resolveSecret } from './secret.js';
export { broadcast, type SendOptions, send } from './send.js';
export type { ChannelContext, Notification, SendResult } from './types.js';
