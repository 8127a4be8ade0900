import { Badge, Button, Group, Modal, PasswordInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../shared/api';
import { formatDateTime, useLang } from '../../shared/i18n';
import { useT } from '../../console/messages';
import { ErrorAlert, useSaveAction } from '../admin-kit';
import { useChannelsAdminT } from './channels-admin-messages';
import { channelsApi, type ChannelsStatus, type Provider, type SecretView, type Source } from './channels-api';

/** An environment variable's name, as the admin will type it on the server. */
export const Env = ({ name }: { name: string }) => <code className="ch-env">{name}</code>;

/** Where a value comes from, in words. */
export function SourceText({ source, variable }: { source: Source; variable: string }) {
  const t = useChannelsAdminT();
  if (source === 'env')
    return (
      <>
        {t('chSourceEnv')} <Env name={variable} />
      </>
    );
  return <>{t(source === 'admin' ? 'chSourceAdmin' : source === 'default' ? 'chSourceDefault' : 'chSourceNone')}</>;
}

/**
 * An address to give a provider: shown whole in a read-only field (selectable by hand too) with
 * a copy button; when the browser refuses the clipboard, the text is selected for Ctrl+C.
 */
export function CopyField({ id, label, value, description }: { id: string; label: string; value: string; description?: ReactNode }) {
  const t = useChannelsAdminT();
  const input = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid(t('chCopied'));
    } catch {
      input.current?.focus();
      input.current?.select();
      setSaid(t('chCopySelect'));
    }
    window.setTimeout(() => setSaid(''), 4000);
  };
  return (
    <div>
      <Group gap="xs" align="flex-end" wrap="nowrap">
        <TextInput id={id} ref={input} label={label} description={description} value={value} readOnly className="ch-url-input" style={{ flex: 1, minWidth: 0 }} onFocus={(e) => e.currentTarget.select()} />
        <Button variant="default" onClick={() => void copy()}>
          {t('chCopy')}
          <span className="visually-hidden"> : {label}</span>
        </Button>
      </Group>
      <Text size="sm" role="status" c="green.8" fw={600} mih={said ? undefined : 0}>
        {said}
      </Text>
    </div>
  );
}

/** A value the environment sets: shown, not editable, with the variable that sets it. */
export function EnvValue({ label, variable, value }: { label: string; variable: string; value: string | null }) {
  const t = useChannelsAdminT();
  return (
    <div>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text size="sm">
        {value ? <span className="ch-value">{value}</span> : t('chSecretHidden')} — {t('chSourceEnv')} <Env name={variable} />
      </Text>
    </div>
  );
}

/**
 * A write-only secret: never shown. Saved: « enregistré » and a button to replace it; the
 * environment sets it: said so; otherwise a password field.
 */
export function SecretField({
  id,
  label,
  description,
  view,
  value,
  onChange,
  replacing,
  setReplacing,
  error,
  optional = false,
}: {
  id: string;
  label: string;
  description?: string;
  /** Not needed at all (an SMTP relay without login). */
  optional?: boolean;
  view: SecretView;
  value: string;
  onChange: (v: string) => void;
  replacing: boolean;
  setReplacing: (v: boolean) => void;
  error?: string;
}) {
  const t = useChannelsAdminT();
  const field = useRef<HTMLInputElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const wasReplacing = useRef(replacing);
  // « Remplacer » puts the cursor in the new field; « Garder » back on « Remplacer ».
  useEffect(() => {
    if (replacing && !wasReplacing.current) field.current?.focus();
    if (!replacing && wasReplacing.current) replaceButton.current?.focus();
    wasReplacing.current = replacing;
  }, [replacing]);
  if (view.source === 'env') return <EnvValue label={label} variable={view.variable} value={null} />;
  const kept = view.saved && !view.unreadable && !replacing;
  if (kept) {
    return (
      <div id={id}>
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Group gap="sm">
          <Badge color="green">{t('chSaved')}</Badge>
          <Button ref={replaceButton} variant="default" size="compact-md" onClick={() => setReplacing(true)}>
            {t('chReplace')}
            <span className="visually-hidden"> : {label}</span>
          </Button>
        </Group>
        {error && (
          <Text size="sm" c="red.8">
            {error}
          </Text>
        )}
      </div>
    );
  }
  return (
    <Stack gap={4}>
      <PasswordInput
        id={id}
        ref={field}
        label={label}
        description={view.unreadable ? t('chUnreadable') : description}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        autoComplete="new-password"
        required={!optional && (!view.saved || view.unreadable)}
        error={error}
        visibilityToggleButtonProps={{ 'aria-label': t('chShowSecret') }}
      />
      {view.saved && !view.unreadable && (
        <Button
          variant="subtle"
          size="compact-sm"
          style={{ alignSelf: 'flex-start' }}
          onClick={() => {
            onChange('');
            setReplacing(false);
          }}
        >
          {t('chKeepSaved')}
        </Button>
      )}
    </Stack>
  );
}

export type FieldErrors = Record<string, string>;

/**
 * The save cycle of one provider's form (admin-kit's): the server's message at the top, each
 * field's problem next to it, the new status for the whole page on success.
 */
export function useProviderForm(provider: Provider, onStatus: (s: ChannelsStatus) => void, fields: readonly string[]) {
  const t = useChannelsAdminT();
  const action = useSaveAction();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const save = async (body: unknown, done?: (s: ChannelsStatus) => void) => {
    setFieldErrors({});
    let saved: ChannelsStatus | null = null;
    await action.run(async () => {
      try {
        saved = await channelsApi.save(provider, body);
        onStatus(saved);
      } catch (err) {
        if (err instanceof ApiError) {
          const problems = err.fieldProblems();
          setFieldErrors(Object.fromEntries(problems.map((p) => [p.field, p.problem])));
          // Each problem is said next to its field: the top only says where to look.
          if (problems.length && problems.every((p) => fields.includes(p.field))) throw new ApiError(err.status, err.code, t('chFixFields'), err.details);
        }
        throw err;
      }
    });
    if (saved) {
      action.setDone(t('chSavedDone'));
      done?.(saved);
    }
  };
  const remove = async () => {
    let ok = false;
    await action.run(async () => {
      onStatus(await channelsApi.remove(provider));
      ok = true;
    });
    if (ok) action.setDone(t('chRemovedDone'));
  };
  return { ...action, fieldErrors, setFieldErrors, save, remove };
}

/** Save, and remove what the screen saved (after a confirmation), with who changed it last. */
export function ProviderActions({ name, form, canRemove, changed }: { name: string; form: ReturnType<typeof useProviderForm>; canRemove: boolean; changed: { at: string; by: string } | null }) {
  const t = useChannelsAdminT();
  const tc = useT();
  const lang = useLang();
  const [confirm, setConfirm] = useState(false);
  return (
    <Stack gap="xs">
      <ErrorAlert error={form.error} />
      <Group gap="sm">
        <Button type="submit" loading={form.busy}>
          {t('chSave', { name })}
        </Button>
        {canRemove && (
          <Button variant="subtle" color="red" onClick={() => setConfirm(true)}>
            {t('chRemove')}
            <span className="visually-hidden"> : {name}</span>
          </Button>
        )}
      </Group>
      <p role="status" className="tpl-done">
        {form.done}
      </p>
      {changed && (
        <Text size="sm" c="gray.7">
          {t('chChanged', { date: formatDateTime(changed.at, lang), who: changed.by })}
        </Text>
      )}
      <Modal opened={confirm} onClose={() => setConfirm(false)} title={t('chRemoveTitle', { name })} closeButtonProps={{ 'aria-label': tc('close') }}>
        <Stack gap="sm">
          <Text>{t('chRemoveText')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirm(false)} data-autofocus>
              {tc('cancel')}
            </Button>
            <Button
              color="red"
              onClick={() => {
                setConfirm(false);
                void form.remove();
              }}
            >
              {t('chRemoveConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

export interface InUseRow {
  label: string;
  /** null: not set; a secret is given as `secret` and never shown. */
  value: string | null;
  secret?: boolean;
  /** Not needed for the channel to work: "not set" rather than "missing". */
  optional?: boolean;
  source: Source;
  variable: string;
}

/** The settings in use and where each comes from (the environment wins over the screen). */
export function InUseTable({ caption, rows }: { caption: string; rows: InUseRow[] }) {
  const t = useChannelsAdminT();
  return (
    <Table striped captionSide="top">
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('chSetting')}</Table.Th>
            <Table.Th scope="col">{t('chInUse')}</Table.Th>
            <Table.Th scope="col">{t('chFrom')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.variable + r.label}>
              <Table.Th scope="row" fw={400}>
                {r.label}
              </Table.Th>
              <Table.Td className="ch-value">{r.secret ? (r.source === 'none' ? t('chMissing') : t('chSecretHidden')) : (r.value ?? t(r.optional ? 'chNotSet' : 'chMissing'))}</Table.Td>
              <Table.Td>
                <SourceText source={r.source} variable={r.variable} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
    </Table>
  );
}

/** « En service » or « Pas configuré », in words and colour. */
export function StateBadge({ ok, on, off }: { ok: boolean; on: string; off: string }) {
  return (
    <Badge color={ok ? 'green' : 'orange'} size="lg">
      {ok ? on : off}
    </Badge>
  );
}
