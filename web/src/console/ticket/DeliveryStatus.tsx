import '../channels.css';
import { useChannelsT } from '../channels-messages';
import type { Message } from '../types';

type State = NonNullable<Message['delivery']>['status'];

/** Meta's codes an adviser meets, said in plain words (Meta's own text is English jargon). */
const WHATSAPP_CODES = new Set(['131026', '131047', '131049', '131050', '131053', '131000', '130429']);

function useExplain() {
  const t = useChannelsT();
  return (reason: string): string => {
    const code = /(?:^|WhatsApp )(1[03]\d{4})\b/.exec(reason)?.[1];
    return code && WHATSAPP_CODES.has(code) ? t('waCode', { explanation: t(`wa_${code}` as Parameters<typeof t>[0]), code }) : reason;
  };
}

// Ticks as on a phone (one: sent, two: delivered, two in blue: read); the words always say it too.
const MARK: Record<State, string> = { pending: '…', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };

/**
 * Where a reply stands on the client's channel: sending, sent, delivered, read, or not delivered
 * with the reason. The mark is decoration; the text says the same for everyone (and screen readers).
 * The ticket page reloads on each `message.delivery_updated` event, so this follows live.
 */
export function DeliveryStatus({ delivery }: { delivery: NonNullable<Message['delivery']> }) {
  const t = useChannelsT();
  const explain = useExplain();
  const words: Record<State, string> = { pending: t('deliveryPending'), sent: t('deliverySent'), delivered: t('deliveryDelivered'), read: t('deliveryRead'), failed: t('deliveryFailed') };
  const retrying = delivery.status === 'pending' && delivery.error;
  return (
    <span className="delivery-status" data-state={delivery.status} title={t('deliveryLabel', { state: words[delivery.status] })}>
      <span aria-hidden="true" className="delivery-mark">
        {MARK[delivery.status]}
      </span>
      <span className="visually-hidden">{t('deliveryPrefix')} </span>
      {delivery.status === 'failed' && delivery.error ? t('deliveryFailedReason', { reason: explain(delivery.error) }) : retrying ? t('deliveryRetrying', { reason: explain(delivery.error!) }) : words[delivery.status]}
    </span>
  );
}
