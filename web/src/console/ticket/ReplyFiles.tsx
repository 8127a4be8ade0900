import { Alert, Button, CloseButton, FileButton, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { request } from '../../shared/api';
import { useLang } from '../../shared/i18n';
import { useChannelsT } from '../channels-messages';
import type { Ticket } from '../types';

/** The server's rules (channels/outbound/reply-attachments.ts), checked here first so the adviser knows before sending. */
const WHATSAPP_MEDIA: Record<string, { kind: 'image' | 'document'; maxBytes: number }> = {
  'image/jpeg': { kind: 'image', maxBytes: 5_000_000 },
  'image/png': { kind: 'image', maxBytes: 5_000_000 },
  'application/pdf': { kind: 'document', maxBytes: 100_000_000 },
  'text/plain': { kind: 'document', maxBytes: 100_000_000 },
};
const EMAIL_MAX = 18_000_000;
export const MAX_FILES = 10;

export interface PickedReplyFile {
  key: string;
  file: File;
  /** Set once uploaded to the ticket: a retried send does not upload it again. */
  attachmentId?: string;
}

const mb = (bytes: number, lang: string) => `${(Math.round((bytes / 1_000_000) * 10) / 10).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB')} ${lang === 'fr' ? 'Mo' : 'MB'}`;

/** What would stop these files from going out with a public reply on this channel. */
export function useFileProblems() {
  const t = useChannelsT();
  const lang = useLang();
  return (channel: string, visibility: 'public' | 'internal', files: File[]): string[] => {
    if (visibility !== 'public' || !files.length) return [];
    const out: string[] = [];
    if (files.length > MAX_FILES) out.push(t('filesLimit', { max: MAX_FILES }));
    if (channel === 'whatsapp') {
      for (const f of files) {
        const rule = WHATSAPP_MEDIA[f.type];
        if (!rule) out.push(t('filesWhatsAppType', { name: f.name }));
        else if (f.size > rule.maxBytes) out.push(t('filesWhatsAppSize', { name: f.name, size: mb(f.size, lang), what: rule.kind === 'image' ? t('filesWhatsAppPhotos') : t('filesWhatsAppDocs'), max: mb(rule.maxBytes, lang) }));
      }
    }
    if (channel === 'email') {
      const total = files.reduce((n, f) => n + f.size, 0);
      if (total > EMAIL_MAX) out.push(t('filesEmailTotal', { size: mb(total, lang) }));
    }
    return out;
  };
}

/** Uploads the files not yet on the ticket; returns every attachment id, in the order chosen. */
export async function uploadReplyFiles(ticketNumber: string, files: PickedReplyFile[], onUploaded: (key: string, id: string) => void): Promise<string[]> {
  const todo = files.filter((f) => !f.attachmentId);
  if (todo.length) {
    const form = new FormData();
    todo.forEach((f) => form.append('file', f.file, f.file.name));
    const res = await request<{ items: { id: string }[] }>('POST', `/tickets/${encodeURIComponent(ticketNumber)}/attachments`, form);
    res.items.forEach((a, i) => {
      todo[i]!.attachmentId = a.id;
      onUploaded(todo[i]!.key, a.id);
    });
  }
  return files.map((f) => f.attachmentId!);
}

/**
 * The files of a reply being written: a button to add some, the list with a way to remove each,
 * and, for the ticket's channel, what the client will receive (SMS cannot carry files) and what
 * would be refused (WhatsApp types and sizes) — said before anything is sent.
 */
export function ReplyFiles({ ticket, visibility, files, onChange, problems }: { ticket: Ticket; visibility: 'public' | 'internal'; files: PickedReplyFile[]; onChange: (files: PickedReplyFile[]) => void; problems: string[] }) {
  const t = useChannelsT();
  const lang = useLang();
  const [error, setError] = useState<string | null>(null);
  const hint =
    visibility === 'internal'
      ? t('filesNote')
      : ticket.channel === 'whatsapp'
        ? t('filesWhatsApp')
        : ticket.channel === 'email'
          ? t('filesEmail')
          : ticket.channel === 'sms'
            ? t('filesSms')
            : t('filesPortal');
  const add = (picked: File[]) => {
    if (!picked.length) return;
    const next = [...files, ...picked.map((file) => ({ key: `${file.name}-${file.size}-${Math.random().toString(36).slice(2)}`, file }))];
    setError(next.length > MAX_FILES ? t('filesLimit', { max: MAX_FILES }) : null);
    onChange(next.slice(0, MAX_FILES));
  };
  return (
    <Stack gap={6}>
      <Group gap="sm" align="center" wrap="wrap">
        <FileButton onChange={add} multiple accept={ticket.channel === 'whatsapp' && visibility === 'public' ? 'image/jpeg,image/png,application/pdf,text/plain' : 'image/*,application/pdf,text/plain,audio/*,video/*'}>
          {(props) => (
            <Button {...props} variant="default" size="sm">
              {t('attachFiles')}
            </Button>
          )}
        </FileButton>
        <Text size="sm" c="dimmed" id={`reply-files-hint-${ticket.id}`}>
          {hint}
        </Text>
      </Group>
      {files.length > 0 && (
        <div>
          <Text size="sm" fw={600} component="p" m={0}>
            {t('filesChosen')}
          </Text>
          <ul className="reply-files">
            {files.map((f) => (
              <li key={f.key}>
                <span>
                  {f.file.name} ({mb(f.file.size, lang)})
                </span>
                <CloseButton size="sm" aria-label={t('removeFile', { name: f.file.name })} onClick={() => onChange(files.filter((x) => x.key !== f.key))} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {(problems.length > 0 || error) && (
        <Alert color="red" variant="light" role="alert" p="xs">
          {[...(error ? [error] : []), ...problems].map((p) => (
            <Text size="sm" key={p}>
              {p}
            </Text>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
