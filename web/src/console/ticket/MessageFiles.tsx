import '../channels.css';
import { Anchor, Text } from '@mantine/core';
import { isInlineImage } from '../../../../common/src/attachments';
import { useLang, type Lang } from '../../shared/i18n';
import { useChannelsT } from '../channels-messages';
import type { Message } from '../types';

type File = NonNullable<Message['attachments']>[number];

const KIND: Record<Lang, { pdf: string; image: (sub: string) => string; audio: string; video: string; text: string; file: string }> = {
  fr: { pdf: 'PDF', image: (sub) => `image ${sub}`, audio: 'son', video: 'vidéo', text: 'texte', file: 'fichier' },
  en: { pdf: 'PDF', image: (sub) => `${sub} image`, audio: 'audio', video: 'video', text: 'text', file: 'file' },
};

/** "PDF", "image HEIC", "son": what the file is, in words, before anyone opens it. */
export function fileKind(contentType: string, lang: Lang): string {
  const k = KIND[lang];
  const [family = '', sub = ''] = contentType.split(';')[0]!.trim().toLowerCase().split('/');
  if (contentType.startsWith('application/pdf')) return k.pdf;
  if (family === 'image') return k.image(sub.replace(/^x-/, '').toUpperCase());
  if (family === 'audio') return k.audio;
  if (family === 'video') return k.video;
  if (family === 'text') return k.text;
  return k.file;
}

export function fileSize(bytes: number, lang: Lang): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} ${lang === 'fr' ? 'ko' : 'KB'}`;
  return `${(bytes / 1024 / 1024).toLocaleString(lang, { maximumFractionDigits: 1 })} ${lang === 'fr' ? 'Mo' : 'MB'}`;
}

/**
 * The files sent with a message. A photo (JPEG, PNG, GIF, WebP as sniffed by the server) is shown
 * as a thumbnail the agent can open full size in a new tab; anything else, SVG included, is a
 * download link with its size and type. `sender` names who sent it, for the photo's text alternative.
 */
export function MessageFiles({ ticketNumber, files, sender }: { ticketNumber: string; files: File[]; sender: string }) {
  const t = useChannelsT();
  const lang = useLang();
  if (!files.length) return null;
  const url = (f: File) => `/api/v1/tickets/${encodeURIComponent(ticketNumber)}/attachments/${encodeURIComponent(f.id)}`;
  const details = (f: File) => `(${fileSize(f.sizeBytes, lang)}, ${fileKind(f.contentType, lang)})`;
  return (
    <div className="message-files">
      <Text size="sm" fw={600} component="p" m={0}>
        {t('messageFiles')}
      </Text>
      <ul>
        {files.map((f) =>
          isInlineImage(f.contentType) ? (
            <li key={f.id} className="message-photo">
              <a className="message-photo-link" href={`${url(f)}?inline=true`} target="_blank" rel="noopener noreferrer">
                <img src={`${url(f)}?inline=true`} alt={t('photoAlt', { name: sender, file: f.filename })} loading="lazy" decoding="async" />
                <span className="message-photo-open">
                  {t('photoOpen')}
                  <span className="visually-hidden"> {t('newTab')}</span>
                </span>
              </a>
              <Text size="sm" c="dimmed" className="message-photo-name">
                {f.filename} {details(f)}
              </Text>
            </li>
          ) : (
            <li key={f.id}>
              <Anchor size="sm" href={url(f)}>
                {f.filename}
              </Anchor>{' '}
              <Text span size="sm" c="dimmed">
                {details(f)}
              </Text>
            </li>
          ),
        )}
      </ul>
    </div>
  );
}
