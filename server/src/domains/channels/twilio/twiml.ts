/*
 * Minimal TwiML builder for the voice flows we use (IVR menu, voicemail, transfer).
 * Verbs are plain data so call flows can be unit-tested and rendered in one place.
 */

export { parseVoiceWebhook, parseSmsWebhook, parseMessageStatusWebhook } from './webhook-params';

type AttrValue = string | number | boolean | undefined;

interface Node<V extends string> {
  readonly verb: V;
  readonly attrs: Readonly<Record<string, AttrValue>>;
  readonly children: ReadonlyArray<TwimlNode | string>;
}

export type SayNode = Node<'Say'>;
export type PlayNode = Node<'Play'>;
export type PauseNode = Node<'Pause'>;
export type GatherNode = Node<'Gather'>;
export type RecordNode = Node<'Record'>;
export type HangupNode = Node<'Hangup'>;
export type DialNode = Node<'Dial'>;
export type NumberNode = Node<'Number'>;
export type RedirectNode = Node<'Redirect'>;
export type TwimlNode = SayNode | PlayNode | PauseNode | GatherNode | RecordNode | HangupNode | DialNode | NumberNode | RedirectNode;
export type VoiceVerb = Exclude<TwimlNode, NumberNode>;

type Method = 'GET' | 'POST';

export interface SayOptions {
  /** Defaults to French: most Relais callers are French speakers. */
  language?: string;
  /** e.g. `Polly.Lea` / `Google.fr-FR-Standard-A`; Twilio picks a default voice for the language otherwise. */
  voice?: string;
  loop?: number;
}

export function say(text: string, options: SayOptions = {}): SayNode {
  return node('Say', { language: options.language ?? 'fr-FR', voice: options.voice, loop: options.loop }, [text]);
}

export function play(url: string, options: { loop?: number; digits?: string } = {}): PlayNode {
  return node('Play', { loop: options.loop, digits: options.digits }, [url]);
}

export function pause(length?: number): PauseNode {
  return node('Pause', { length }, []);
}

export interface GatherOptions {
  action?: string;
  method?: Method;
  numDigits?: number;
  timeout?: number;
  finishOnKey?: string;
  input?: 'dtmf' | 'speech' | 'dtmf speech';
  /** Speech recognition language (only used with speech input). */
  language?: string;
  speechTimeout?: number | 'auto';
  hints?: string;
  actionOnEmptyResult?: boolean;
}

/** Only Say, Play and Pause may be nested in Gather. */
export function gather(options: GatherOptions, ...prompts: Array<SayNode | PlayNode | PauseNode>): GatherNode {
  return node(
    'Gather',
    {
      input: options.input,
      numDigits: options.numDigits,
      timeout: options.timeout,
      finishOnKey: options.finishOnKey,
      action: options.action,
      method: options.method ?? (options.action ? 'POST' : undefined),
      language: options.language,
      speechTimeout: options.speechTimeout,
      hints: options.hints,
      actionOnEmptyResult: options.actionOnEmptyResult,
    },
    prompts,
  );
}

export interface RecordOptions {
  action?: string;
  method?: Method;
  /** Seconds; Twilio's default is 3600. */
  maxLength?: number;
  /** Seconds of silence that end the recording. */
  timeout?: number;
  finishOnKey?: string;
  playBeep?: boolean;
  trim?: 'trim-silence' | 'do-not-trim';
  recordingStatusCallback?: string;
  recordingStatusCallbackMethod?: Method;
  transcribe?: boolean;
  transcribeCallback?: string;
}

export function record(options: RecordOptions = {}): RecordNode {
  return node(
    'Record',
    {
      action: options.action,
      method: options.method ?? (options.action ? 'POST' : undefined),
      maxLength: options.maxLength,
      timeout: options.timeout,
      finishOnKey: options.finishOnKey,
      playBeep: options.playBeep,
      trim: options.trim,
      recordingStatusCallback: options.recordingStatusCallback,
      recordingStatusCallbackMethod: options.recordingStatusCallbackMethod,
      transcribe: options.transcribe,
      transcribeCallback: options.transcribeCallback,
    },
    [],
  );
}

export function hangup(): HangupNode {
  return node('Hangup', {}, []);
}

export interface DialOptions {
  action?: string;
  method?: Method;
  callerId?: string;
  timeout?: number;
  timeLimit?: number;
  record?: 'do-not-record' | 'record-from-answer' | 'record-from-ringing' | 'record-from-answer-dual' | 'record-from-ringing-dual';
  answerOnBridge?: boolean;
}

export function numberTarget(phone: string, options: { url?: string; sendDigits?: string } = {}): NumberNode {
  return node('Number', { url: options.url, sendDigits: options.sendDigits }, [phone]);
}

/** `target` is a single number, or several `numberTarget()`s rung at once. */
export function dial(target: string | NumberNode[], options: DialOptions = {}): DialNode {
  return node(
    'Dial',
    {
      action: options.action,
      method: options.method ?? (options.action ? 'POST' : undefined),
      callerId: options.callerId,
      timeout: options.timeout,
      timeLimit: options.timeLimit,
      record: options.record,
      answerOnBridge: options.answerOnBridge,
    },
    typeof target === 'string' ? [target] : target,
  );
}

export function redirect(url: string, options: { method?: Method } = {}): RedirectNode {
  return node('Redirect', { method: options.method ?? 'POST' }, [url]);
}

/** Renders a complete `<Response>` document. */
export function renderTwiml(...verbs: VoiceVerb[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${verbs.map(renderNode).join('')}</Response>`;
}

function node<V extends string>(verb: V, attrs: Record<string, AttrValue>, children: ReadonlyArray<TwimlNode | string>): Node<V> {
  return { verb, attrs, children };
}

function renderNode(n: TwimlNode | string): string {
  if (typeof n === 'string') return escapeXml(n);
  const attrs = Object.entries(n.attrs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
  if (n.children.length === 0) return `<${n.verb}${attrs}/>`;
  return `<${n.verb}${attrs}>${n.children.map(renderNode).join('')}</${n.verb}>`;
}

// Control characters other than tab/newline are not allowed in XML 1.0 at all, even escaped;
// one stray character from a customer name would make Twilio reject the whole document.
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
