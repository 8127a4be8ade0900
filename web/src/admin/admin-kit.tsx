import { Alert, Button, Group, Table, type MantineSpacing } from '@mantine/core';
import { useEffect, useState, type ReactNode, type Ref } from 'react';
import { ApiError } from '../shared/api';
import { useT } from '../console/messages';

/** The message an admin sees for a failed call: the server's French message, or "network". */
export function useErrorMessage() {
  const t = useT();
  return (err: unknown) => (err instanceof ApiError ? err.message : t('network'));
}

/**
 * The save cycle every admin screen shares: busy while the call runs, the server's message on
 * failure, "Enregistré" on success.
 */
export function useSaveAction() {
  const t = useT();
  const messageOf = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setDone('');
    try {
      await work();
      setError(null);
      setDone(t('saved'));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, done, setDone, run, messageOf };
}

export function ErrorAlert({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {error}
    </Alert>
  );
}

/**
 * The error summary at the top of a form (GOV.UK): focused after a refused save through `ref`,
 * each problem a link to its field; nothing while there is none.
 */
export function ErrorSummary<K extends string>({ ref, title, errors, fieldId }: { ref: Ref<HTMLDivElement>; title: string; errors: [K, string][]; fieldId: Record<K, string> }) {
  if (errors.length === 0) return null;
  return (
    <Alert color="red" variant="light" title={title} ref={ref} tabIndex={-1}>
      <ul style={{ margin: 0, paddingLeft: '1.25rem' }}>
        {errors.map(([k, msg]) => (
          <li key={k}>
            <a href={`#${fieldId[k]}`}>{msg}</a>
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/**
 * A list screen's table: striped, scrolled sideways on a narrow screen rather than squeezed,
 * its caption, one heading per column and, with `actions`, a last
 * column for the row's buttons whose heading only screen readers hear; `children` are the rows.
 */
export function AdminTable({ caption, columns, actions = false, minWidth, verticalSpacing, children }: { caption: string; columns: string[]; actions?: boolean; minWidth: number; verticalSpacing?: MantineSpacing; children: ReactNode }) {
  const t = useT();
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped {...(verticalSpacing ? { verticalSpacing } : {})}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((c) => (
              <Table.Th scope="col" key={c}>
                {c}
              </Table.Th>
            ))}
            {actions && (
              <Table.Th scope="col">
                <span className="visually-hidden">{t('actions')}</span>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Cancel and save, at the foot of an edit dialog. */
export function FormActions({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  const t = useT();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('cancel')}
      </Button>
      <Button type="submit" loading={busy}>
        {t('save')}
      </Button>
    </Group>
  );
}

/**
 * Leaving a page with unsaved changes asks first: the browser's own dialog on reload or close,
 * and a confirm on an in-app link (the little router cannot block, so the click is caught before it).
 */
export function useUnsavedGuard(dirty: boolean, question: string) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    const leave = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      // A link within the page (an error summary's link to its field) does not leave it.
      if (!a || a.target === '_blank' || e.ctrlKey || e.metaKey || e.shiftKey || a.origin !== window.location.origin || a.getAttribute('href')!.startsWith('#')) return;
      if (!window.confirm(question)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', warn);
    document.addEventListener('click', leave, true);
    return () => {
      window.removeEventListener('beforeunload', warn);
      document.removeEventListener('click', leave, true);
    };
  }, [dirty, question]);
}
