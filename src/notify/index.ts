/** The notification layer: live stream (bus + SSE), outbound channels and their delivery queue. */

export * from './actionLinks.js';
export * from './bus.js';
export * from './channels/channelSet.js';
export * from './channels/channelSpec.js';
export { EmailChannel, type EmailChannelOptions, emailHtml, emailSubject, emailText } from './channels/email.js';
export * from './channels/registry.js';
export { SlackChannel, type SlackChannelOptions, slackMessage } from './channels/slack.js';
export * from './channels/types.js';
export {
  generateWebhookSecret,
  WebhookChannel,
  type WebhookChannelOptions,
  type WebhookPayload,
  webhookPayload,
} from './channels/webhook.js';
export * from './deliveries.js';
export * from './notifyUser.js';
export * from './preferences.js';
export * from './quietHours.js';
export * from './sse.js';
