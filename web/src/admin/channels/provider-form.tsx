import { Alert, Button, Collapse, Group, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useChannelsAdminT } from './channels-admin-messages';
import type { SecretView, SettingView, Source } from './channels-api';
import { Env, EnvValue, ProviderActions, StateBadge, type InUseRow, type useProviderForm } from './channels-kit';

/**
 * The frame of one provider's part of « Canaux »: its heading (target of the summary's link)
 * with its state, what it is for, then what the provider's screen adds.
 * `id` prefixes the heading's and the form's ids (`ch-mail` → `ch-mail-title`, `ch-mail-form`).
 */
export function ProviderSection({ id, title, ok, off, intro, children }: { id: string; title: string; ok: boolean; off?: string; intro: string; children: ReactNode }) {
  const t = useChannelsAdminT();
  return (
    <section aria-labelledby={`${id}-title`} className="ch-section">
      <Stack gap="md">
        <Group gap="sm">
          <Title order={2} id={`${id}-title`}>
            {title}
          </Title>
          <StateBadge ok={ok} on={t('chOn')} off={off ?? t('chOff')} />
        </Group>
        <Text>{intro}</Text>
        {children}
      </Stack>
    </section>
  );
}

/** What the channel still needs, one `<li>` each, and how to give it. */
export function MissingAlert({ children }: { children: ReactNode }) {
  const t = useChannelsAdminT();
  return (
    <Alert color="orange" variant="light" role="note" title={t('chMissingTitle')}>
      <ul className="ch-status-list">{children}</ul>
      <Text size="sm" mt="xs">
        {t('chMissingHow')}
      </Text>
    </Alert>
  );
}

/** The missing environment variables of a provider, named in words with the variable. */
export function MissingVariables({ missing, label }: { missing: string[]; label: Record<string, string> }) {
  if (missing.length === 0) return null;
  return (
    <MissingAlert>
      {missing.map((v) => (
        <li key={v}>
          {label[v] ?? v} (<Env name={v} />)
        </li>
      ))}
    </MissingAlert>
  );
}

/** The server's words on settings it did not take (nothing when it took them all). */
export function IgnoredAlert({ ignored }: { ignored: string[] }) {
  const t = useChannelsAdminT();
  if (ignored.length === 0) return null;
  return (
    <Alert color="red" variant="light" role="note" title={t('chIgnoredTitle')}>
      {ignored.join(' ')}
    </Alert>
  );
}

/**
 * A provider's settings form, folded behind « Modifier les réglages … » (open at first when the
 * channel does not work yet), ending with the save block. When the environment sets the whole
 * channel there is nothing to edit here, and the screen says so instead.
 */
export function ProviderForm({
  id,
  name,
  initiallyOpen,
  setByEnvironment = false,
  onSubmit,
  gap = 'sm',
  form,
  canRemove,
  changed,
  children,
}: {
  id: string;
  name: string;
  initiallyOpen: boolean;
  setByEnvironment?: boolean;
  onSubmit: (e: FormEvent) => void;
  gap?: 'sm' | 'md';
  form: ReturnType<typeof useProviderForm>;
  canRemove: boolean;
  changed: { at: string; by: string } | null;
  children: ReactNode;
}) {
  const t = useChannelsAdminT();
  const [open, setOpen] = useState(initiallyOpen);
  if (setByEnvironment)
    return (
      <Alert color="gray" variant="light" role="note">
        {t('chSetByEnv')}
      </Alert>
    );
  return (
    <>
      <Button variant="default" onClick={() => setOpen((x) => !x)} aria-expanded={open} aria-controls={`${id}-form`} style={{ alignSelf: 'flex-start' }}>
        {open ? (
          <>
            {t('chHideForm')}
            <span className="visually-hidden"> : {name}</span>
          </>
        ) : (
          t('chEditForm', { name })
        )}
      </Button>
      <Collapse expanded={open}>
        <form id={`${id}-form`} onSubmit={onSubmit} noValidate className="ch-form">
          <Stack gap={gap}>
            {children}
            <ProviderActions name={name} form={form} canRemove={canRemove} changed={changed} />
          </Stack>
        </form>
      </Collapse>
    </>
  );
}

/** A setting the environment sets is shown with its variable, not edited; otherwise the screen's field. */
export function EnvOrField({ label, view, value = view.value ?? null, children }: { label: string; view: { source: Source; variable: string; value?: string | null }; value?: string | null; children: ReactNode }) {
  return view.source === 'env' ? <EnvValue label={label} variable={view.variable} value={value} /> : <>{children}</>;
}

/**
 * What the admin typed in a form's write-only secrets, and which saved ones they chose to
 * replace; `field(name)` gives SecretField its props, `reset()` forgets all after a save.
 */
export function useSecretDrafts<K extends string>(names: readonly K[]) {
  const all = <V,>(v: V) => Object.fromEntries(names.map((n) => [n, v])) as Record<K, V>;
  const [values, setValues] = useState(() => all(''));
  const [replacing, setReplacing] = useState(() => all(false));
  return {
    values,
    field: (name: K) => ({
      value: values[name],
      onChange: (v: string) => setValues((x) => ({ ...x, [name]: v })),
      replacing: replacing[name],
      setReplacing: (v: boolean) => setReplacing((x) => ({ ...x, [name]: v })),
    }),
    reset: () => {
      setValues(all(''));
      setReplacing(all(false));
    },
  };
}

/** A row of the settings in use: a plain setting with its value, or a secret never shown. */
export const inUseRow = (label: string, view: SettingView, optional?: boolean): InUseRow => ({ label, value: view.value, source: view.source, variable: view.variable, ...(optional ? { optional } : {}) });
export const secretRow = (label: string, view: SecretView): InUseRow => ({ label, value: null, secret: true, source: view.source, variable: view.variable });
