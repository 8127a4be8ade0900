export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';

/** Recipient replied STOP: Twilio refuses further messages until they send START. */
export const TWILIO_UNSUBSCRIBED_RECIPIENT_CODE = 21610;

export interface TwilioMessagingClientOptions {
  accountSid: string;
  authToken: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface SendSmsInput {
  to: string;
  /** Our Twilio number; either this or `messagingServiceSid` is required. */
  from?: string;
  messagingServiceSid?: string;
  body: string;
  statusCallback?: string;
  mediaUrls?: string[];
}

export interface SentSms {
  sid: string;
  status: string;
}

export interface TwilioApiErrorInit {
  httpStatus: number | null;
  code: number | null;
  message: string;
  moreInfo?: string | null;
  retryable?: boolean;
  cause?: unknown;
}

export class TwilioApiError extends Error {
  readonly httpStatus: number | null;
  readonly code: number | null;
  readonly moreInfo: string | null;
  readonly retryable: boolean;

  constructor(init: TwilioApiErrorInit) {
    super(`Twilio API error${init.code === null ? '' : ` ${init.code}`}: ${init.message}`, { cause: init.cause });
    this.name = 'TwilioApiError';
    this.httpStatus = init.httpStatus;
    this.code = init.code;
    this.moreInfo = init.moreInfo ?? null;
    // 429 (code 20429) and 5xx are transient; 4xx are about the request itself.
    this.retryable = init.retryable ?? (init.httpStatus === null || init.httpStatus === 429 || init.httpStatus >= 500);
  }

  get isUnsubscribedRecipient(): boolean {
    return this.code === TWILIO_UNSUBSCRIBED_RECIPIENT_CODE;
  }
}

/** Sends SMS through the 2010-04-01 Messages API (form-encoded POST, HTTP basic auth). */
export class TwilioMessagingClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: TwilioMessagingClientOptions) {
    if (!options.accountSid || !options.authToken) throw new Error('Twilio credentials are not configured');
    this.baseUrl = (options.baseUrl ?? DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async sendSms(input: SendSmsInput): Promise<SentSms> {
    if (!input.from === !input.messagingServiceSid) throw new Error('sendSms needs exactly one of `from` or `messagingServiceSid`');

    const form = new URLSearchParams();
    form.set('To', input.to);
    if (input.from) form.set('From', input.from);
    if (input.messagingServiceSid) form.set('MessagingServiceSid', input.messagingServiceSid);
    form.set('Body', input.body);
    if (input.statusCallback) form.set('StatusCallback', input.statusCallback);
    for (const url of input.mediaUrls ?? []) form.append('MediaUrl', url);

    const url = `${this.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(this.options.accountSid)}/Messages.json`;
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${this.options.accountSid}:${this.options.authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new TwilioApiError({ httpStatus: null, code: null, message: `Network error: ${(cause as Error).message}`, cause });
    }

    const json = await readJsonSafely(response);
    if (!response.ok) throw errorFromResponse(response.status, json);
    if (!isRecord(json) || typeof json.sid !== 'string') {
      throw new TwilioApiError({ httpStatus: response.status, code: null, message: 'Response has no message sid', retryable: false });
    }
    return { sid: json.sid, status: typeof json.status === 'string' ? json.status : 'queued' };
  }
}

/** 2010 API error bodies look like `{ code, message, more_info, status }`. */
function errorFromResponse(httpStatus: number, body: unknown): TwilioApiError {
  if (!isRecord(body)) return new TwilioApiError({ httpStatus, code: null, message: `HTTP ${httpStatus}` });
  return new TwilioApiError({
    httpStatus,
    code: typeof body.code === 'number' ? body.code : null,
    message: typeof body.message === 'string' ? body.message : `HTTP ${httpStatus}`,
    moreInfo: typeof body.more_info === 'string' ? body.more_info : null,
  });
}

async function readJsonSafely(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
