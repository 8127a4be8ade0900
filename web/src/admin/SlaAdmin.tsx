import { Button, Group, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { TICKET_PRIORITIES, type TicketPriority } from '../../../common/src/tickets';
import { api } from '../shared/api';
import { useLabels } from '../console/labels';
import { useT } from '../console/messages';
import { ErrorAlert, useSaveAction } from './admin-kit';
import { useConsoleTitle } from '../console/session';

type Target = { firstResponseMinutes: number; resolutionMinutes: number };
type Policy = Record<TicketPriority, Target>;

/** SLA targets per priority, in business minutes (counted only during opening hours). */
export function SlaAdmin() {
  const t = useT();
  const L = useLabels();
  const [policy, setPolicy] = useState<Policy | null>(null);
  const { busy, error, setError, done, run, messageOf } = useSaveAction();
  useConsoleTitle(t('adminSla'));
  useEffect(() => {
    api
      .get<Policy>('/settings/sla-policy')
      .then(setPolicy)
      .catch((err) => setError(messageOf(err)));
  }, []);  

  const set = (p: TicketPriority, k: keyof Target, v: number | string) => setPolicy((x) => (x ? { ...x, [p]: { ...x[p], [k]: Number(v) || 0 } } : x));
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!policy) return;
    await run(async () => setPolicy(await api.put<Policy>('/settings/sla-policy', policy)));
  };

  return (
    <Stack gap="md" maw={760}>
      <Title order={1}>{t('adminSla')}</Title>
      <Text>{t('slaAdminHelp')}</Text>
      <ErrorAlert error={error} />
      {policy && (
        <form onSubmit={save}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('field_priority')}</Table.Th>
                <Table.Th scope="col">{t('slaFirstResponseMin')}</Table.Th>
                <Table.Th scope="col">{t('slaResolutionMin')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {TICKET_PRIORITIES.map((p) => (
                <Table.Tr key={p}>
                  <Table.Th scope="row">{L.priority(p)}</Table.Th>
                  <Table.Td>
                    <NumberInput aria-label={`${t('slaFirstResponseMin')} — ${L.priority(p)}`} value={policy[p].firstResponseMinutes} onChange={(v) => set(p, 'firstResponseMinutes', v)} min={1} max={525600} allowDecimal={false} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={`${t('slaResolutionMin')} — ${L.priority(p)}`} value={policy[p].resolutionMinutes} onChange={(v) => set(p, 'resolutionMinutes', v)} min={1} max={525600} allowDecimal={false} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group mt="md">
            <Button type="submit" loading={busy}>
              {t('save')}
            </Button>
            <Text role="status">{done}</Text>
          </Group>
        </form>
      )}
    </Stack>
  );
}
