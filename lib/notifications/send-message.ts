// Sends one delivery's payload to one destination, in that destination's shape, with the delivery id as the
// idempotency key (a retried or replayed delivery carries the same key, so a receiver can drop the copy).
import {
  buildEmail,
  buildPagerDutyEvent,
  buildSlackMessage,
  buildTeamsMessage,
  buildWebhookBody,
  type MessageContext,
} from './build-messages';
import { DEFAULT_POST_LIMITS, postJson, type PostLimits, type SendResult } from './post-json';
import type { DeliveryPayload, DestinationInput } from './schemas';
import { sendEmail } from './send-email';
import { signWebhook, SIGNATURE_HEADER } from './sign-webhook';

export type SendOptions = {
  publicUrl: string;
  allowPrivate: boolean;
  limits?: Partial<Omit<PostLimits, 'allowPrivate'>>;
  now?: Date;
};

export async function sendMessage(
  destination: DestinationInput,
  payload: DeliveryPayload,
  deliveryId: string,
  options: SendOptions,
): Promise<SendResult> {
  const context: MessageContext = { deliveryId, publicUrl: options.publicUrl };
  const limits: PostLimits = { ...DEFAULT_POST_LIMITS, ...options.limits, allowPrivate: options.allowPrivate };
  const event = payload.kind === 'digest' ? 'digest' : payload.event;
  const common = { 'idempotency-key': deliveryId, 'x-vigil-delivery': deliveryId, 'x-vigil-event': event };
  switch (destination.type) {
    case 'webhook': {
      const body = JSON.stringify(buildWebhookBody(payload, context));
      const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
      return postJson(
        destination.url,
        body,
        {
          ...destination.headers,
          ...common,
          'x-vigil-timestamp': String(timestamp),
          [SIGNATURE_HEADER.toLowerCase()]: signWebhook(destination.secret, body, timestamp),
        },
        limits,
      );
    }
    case 'slack':
      return postJson(destination.url, JSON.stringify(buildSlackMessage(payload, context)), common, limits);
    case 'teams':
      return postJson(destination.url, JSON.stringify(buildTeamsMessage(payload, context)), common, limits);
    case 'pagerduty': {
      const pagerEvent = buildPagerDutyEvent(payload, destination.routingKey, context);
      if (!pagerEvent)
        return {
          ok: false,
          statusCode: null,
          excerpt: null,
          error: 'PagerDuty takes single alerts, not digests',
          latencyMs: 0,
        };
      return postJson(destination.url, JSON.stringify(pagerEvent), common, limits);
    }
    case 'email': {
      // An assignment notice goes to the person it assigns.
      const to =
        payload.kind === 'event' && payload.event === 'alert.assigned' && payload.assigneeEmail
          ? [payload.assigneeEmail]
          : destination.to;
      return sendEmail({ ...destination, to }, buildEmail(payload, context), common, {
        timeoutMs: limits.timeoutMs,
        allowPrivate: options.allowPrivate,
      });
    }
  }
}
