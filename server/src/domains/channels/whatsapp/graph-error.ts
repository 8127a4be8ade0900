/**
 * Meta error codes (developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes)
 * after which the same request can succeed later. Everything else needs a human or a different
 * message (e.g. a template), so retrying it only burns quota.
 */
const RETRYABLE_CODES = new Set([
  1, // API Unknown
  2, // API Service (temporary downtime)
  4, // API Too Many Calls
  80007, // Rate limit issues (WABA)
  130429, // Rate limit hit (throughput)
  131000, // Something went wrong
  131016, // Service unavailable
  131056, // Business/consumer pair rate limit hit
  133004, // Server temporarily unavailable
]);

/** The customer wrote more than 24 h ago: only an approved template can reach them now. */
export const OUTSIDE_SERVICE_WINDOW_CODE = 131047;

export interface WhatsAppApiErrorInit {
  httpStatus: number | null;
  code: number | null;
  subcode?: number | null;
  title: string;
  details?: string | null;
  fbtraceId?: string | null;
  retryable?: boolean;
  cause?: unknown;
}

export class WhatsAppApiError extends Error {
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly subcode: number | null;
  readonly title: string;
  readonly details: string | null;
  readonly fbtraceId: string | null;
  readonly retryable: boolean;

  constructor(init: WhatsAppApiErrorInit) {
    const codePart = init.code === null ? '' : ` (#${init.code})`;
    super(`WhatsApp API error${codePart}: ${init.title}${init.details ? ` — ${init.details}` : ''}`, { cause: init.cause });
    this.name = 'WhatsAppApiError';
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.subcode = init.subcode ?? null;
    this.title = init.title;
    this.details = init.details ?? null;
    this.fbtraceId = init.fbtraceId ?? null;
    this.retryable = init.retryable ?? isRetryable(init.httpStatus, init.code);
  }

  get isOutsideServiceWindow(): boolean {
    return this.code === OUTSIDE_SERVICE_WINDOW_CODE;
  }
}

export function isRetryable(httpStatus: number | null, code: number | null): boolean {
  if (code !== null && RETRYABLE_CODES.has(code)) return true;
  if (code !== null) return false;
  return httpStatus === null || httpStatus === 429 || httpStatus >= 500;
}

/** Builds the error from a Graph API error body: `{ error: { message, type, code, error_subcode, error_data: { details }, fbtrace_id } }`. */
export function errorFromGraphResponse(httpStatus: number, body: unknown): WhatsAppApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (!error) {
    return new WhatsAppApiError({ httpStatus, code: null, title: `HTTP ${httpStatus} without a Graph error body` });
  }
  const code = typeof error.code === 'number' ? error.code : null;
  const message = typeof error.message === 'string' ? error.message : `HTTP ${httpStatus}`;
  const errorData = isRecord(error.error_data) ? error.error_data : null;
  return new WhatsAppApiError({
    httpStatus,
    code,
    subcode: typeof error.error_subcode === 'number' ? error.error_subcode : null,
    // Meta folds the title into the message as "(#131047) Re-engagement message".
    title: message.replace(/^\(#\d+\)\s*/, ''),
    details: errorData && typeof errorData.details === 'string' ? errorData.details : null,
    fbtraceId: typeof error.fbtrace_id === 'string' ? error.fbtrace_id : null,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
