/** The notification layer: live stream (bus + SSE), outbound channels and their delivery queue. */
export * from './bus.js';
export * from './sse.js';
export * from './actionLinks.js';
export * from './quietHours.js';
export * from './preferences.js';
export * from './deliveries.js';
export * from './notifyUser.js';
export * from './channels/types.js';
export { SlackChannel, slackMessage, type SlackChannelOptions } from './channels/slack.js';
export { EmailChannel, emailHtml, emailText, emailSubject, type EmailChannelOptions } from './channels/email.js';
export { WebhookChannel, generateWebhookSecret, webhookPayload, type WebhookPayload, type WebhookChannelOptions } from './channels/webhook.js';
