import { Badge, Button, Modal, NumberInput, Select, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { useLabels } from '../console/labels';
import { useT } from '../console/messages';
import { AdminTable, ErrorAlert, FormActions, useErrorMessage } from './admin-kit';
import { useConsoleTitle } from '../console/session';
import type { Queue } from '../console/types';

function QueueForm({ queue, onSaved, onCancel }: { queue: Queue; onSaved: () => void; onCancel: () => void }) {
  const t = useT();
  const L = useLabels();
  const [name, setName] = useState(queue.name);
  const [menuKey, setMenuKey] = useState<number | string>(queue.menuKey ?? '');
  const [level, setLevel] = useState(String(queue.defaultLevel));
  const [skill, setSkill] = useState(queue.requiredSkill ?? '');
  const [training, setTraining] = useState(queue.requiresTraining ?? '');
  const [audit, setAudit] = useState(queue.requiresAudit);
  const [active, setActive] = useState(queue.active);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const messageOf = useErrorMessage();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.patch(`/queues/${queue.slug}`, {
        name: name.trim(),
        menuKey: menuKey === '' ? null : Number(menuKey),
        defaultLevel: Number(level),
        requiredSkill: skill.trim() || null,
        requiresTraining: training.trim() || null,
        requiresAudit: audit,
        active,
      });
      onSaved();
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <ErrorAlert error={error} />
        <TextInput label={t('queueName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required data-autofocus />
        <NumberInput label={t('queueMenuKey')} description={t('queueMenuKeyHint')} value={menuKey} onChange={setMenuKey} min={0} max={9} allowDecimal={false} />
        <Select label={t('queueLevel')} data={['1', '2', '3'].map((l) => ({ value: l, label: L.level(Number(l)) }))} value={level} onChange={(v) => v && setLevel(v)} allowDeselect={false} />
        <TextInput label={t('queueSkill')} description={t('queueSkillHint')} value={skill} onChange={(e) => setSkill(e.currentTarget.value)} />
        <TextInput label={t('queueTraining')} description={t('queueTrainingHint')} value={training} onChange={(e) => setTraining(e.currentTarget.value)} />
        <Switch label={t('queueAudit')} description={t('queueAuditHint')} checked={audit} onChange={(e) => setAudit(e.currentTarget.checked)} />
        <Switch label={t('queueActive')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
        <FormActions busy={busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

export function QueuesAdmin() {
  const t = useT();
  const L = useLabels();
  const [items, setItems] = useState<Queue[] | null>(null);
  const [editing, setEditing] = useState<Queue | null>(null);
  const [done, setDone] = useState('');
  useConsoleTitle(t('adminQueues'));
  const load = () =>
    api
      .get<{ items: Queue[] }>('/queues')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  useEffect(() => void load(), []);
  return (
    <Stack gap="md">
      <Title order={1}>{t('adminQueues')}</Title>
      <p role="status" className="visually-hidden">
        {done}
      </p>
      {!items ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <AdminTable caption={t('queuesCaption')} columns={[t('queueName'), t('queueMenuKey'), t('queueLevel'), t('queueSkill'), t('queuePolicies'), t('staffState')]} actions minWidth={800}>
          {items.map((q) => (
            <Table.Tr key={q.id}>
              <Table.Td>
                {q.name}
                {q.isCyber && (
                  <Badge color="red" variant="light" size="sm" ml={6}>
                    {t('cyberBadge')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{q.menuKey ?? '—'}</Table.Td>
              <Table.Td>{L.levelShort(q.defaultLevel)}</Table.Td>
              <Table.Td>{q.requiredSkill ?? '—'}</Table.Td>
              <Table.Td>
                {[q.requiresAudit ? t('queueAuditShort') : null, q.requiresTraining ? t('queueTrainingShort', { name: q.requiresTraining }) : null].filter(Boolean).join(' · ') || '—'}
              </Table.Td>
              <Table.Td>{q.active ? t('queueOn') : t('queueOff')}</Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => setEditing(q)}>
                  {t('edit')}
                  <span className="visually-hidden"> {q.name}</span>
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing ? t('queueEdit', { name: editing.name }) : ''} closeButtonProps={{ 'aria-label': t('close') }}>
        {editing && (
          <QueueForm
            queue={editing}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              setDone(t('saved'));
              void load();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
