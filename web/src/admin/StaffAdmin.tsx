import { Badge, Button, Group, Modal, PasswordInput, Select, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../shared/api';
import { useLabels } from '../console/labels';
import { useT } from '../console/messages';
import { AdminTable, ErrorAlert, FormActions, useErrorMessage } from './admin-kit';
import { useConsoleTitle } from '../console/session';
import type { Staff, StaffRole } from '../console/types';

const ROLES: StaffRole[] = ['agent', 'technician', 'supervisor', 'admin'];

interface Draft {
  email: string;
  name: string;
  role: StaffRole;
  level: string | null;
  skills: string[];
  password: string;
  active: boolean;
}

function StaffForm({ initial, onSaved, onCancel }: { initial: Staff | null; onSaved: () => void; onCancel: () => void }) {
  const t = useT();
  const L = useLabels();
  const [d, setD] = useState<Draft>({
    email: initial?.email ?? '',
    name: initial?.name ?? '',
    role: initial?.role ?? 'agent',
    level: initial?.level ? String(initial.level) : initial ? null : '1',
    skills: initial?.skills ?? [],
    password: '',
    active: initial?.active ?? true,
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const messageOf = useErrorMessage();
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!initial && d.password.length < 10) return setError(t('staffPasswordShort'));
    if (initial && d.password && d.password.length < 10) return setError(t('staffPasswordShort'));
    setBusy(true);
    try {
      const level = d.level ? Number(d.level) : null;
      if (initial) {
        await api.patch(`/staff/${initial.id}`, { name: d.name.trim(), role: d.role, level, skills: d.skills, active: d.active, ...(d.password ? { password: d.password } : {}) });
      } else {
        await api.post('/staff', { email: d.email.trim(), name: d.name.trim(), role: d.role, level, skills: d.skills, password: d.password });
      }
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
        {!initial && <TextInput label={t('staffEmail')} type="email" value={d.email} onChange={(e) => set('email', e.currentTarget.value)} required data-autofocus />}
        <TextInput label={t('staffName')} value={d.name} onChange={(e) => set('name', e.currentTarget.value)} required data-autofocus={initial ? true : undefined} />
        <Select label={t('staffRole')} data={ROLES.map((r) => ({ value: r, label: L.role(r) }))} value={d.role} onChange={(v) => v && set('role', v as StaffRole)} allowDeselect={false} />
        <Select label={t('staffLevel')} data={['1', '2', '3'].map((l) => ({ value: l, label: L.level(Number(l)) }))} value={d.level} onChange={(v) => set('level', v)} clearable placeholder={t('staffNoLevel')} />
        <TagsInput label={t('staffSkills')} description={t('staffSkillsHint')} value={d.skills} onChange={(v) => set('skills', v)} />
        <PasswordInput label={initial ? t('staffNewPassword') : t('staffPassword')} description={t('staffPasswordHint')} value={d.password} onChange={(e) => set('password', e.currentTarget.value)} autoComplete="new-password" required={!initial} />
        {initial && <Switch label={t('staffActive')} description={t('staffActiveHint')} checked={d.active} onChange={(e) => set('active', e.currentTarget.checked)} />}
        <FormActions busy={busy} onCancel={onCancel} />
      </Stack>
    </form>
  );
}

export function StaffAdmin() {
  const t = useT();
  const L = useLabels();
  const [items, setItems] = useState<Staff[] | null>(null);
  const [editing, setEditing] = useState<Staff | 'new' | null>(null);
  const [done, setDone] = useState('');
  useConsoleTitle(t('adminStaff'));
  const load = () =>
    api
      .get<{ items: Staff[] }>('/staff')
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  useEffect(() => void load(), []);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={1}>{t('adminStaff')}</Title>
        <Button onClick={() => setEditing('new')}>{t('staffAdd')}</Button>
      </Group>
      <p role="status" className="visually-hidden">
        {done}
      </p>
      {!items ? (
        <p role="status">{t('loading')}</p>
      ) : (
        <AdminTable caption={t('staffCaption', { n: items.length })} columns={[t('staffName'), t('staffEmail'), t('staffRole'), t('staffLevel'), t('staffSkills'), t('staffState')]} actions minWidth={800}>
          {items.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>{s.email}</Table.Td>
              <Table.Td>{L.role(s.role)}</Table.Td>
              <Table.Td>{s.level ? L.levelShort(s.level) : '—'}</Table.Td>
              <Table.Td>{s.skills.join(', ') || '—'}</Table.Td>
              <Table.Td>
                {s.active ? (
                  <Badge color={s.available ? 'green' : 'gray'} variant="light">
                    {s.available ? t('staffAvailable') : t('staffAway')}
                  </Badge>
                ) : (
                  <Badge color="red" variant="light">
                    {t('staffInactive')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => setEditing(s)}>
                  {t('edit')}
                  <span className="visually-hidden"> {s.name}</span>
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </AdminTable>
      )}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={editing === 'new' ? t('staffAdd') : editing ? t('staffEdit', { name: editing.name }) : ''} closeButtonProps={{ 'aria-label': t('close') }}>
        {editing && (
          <StaffForm
            initial={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              setDone(t('saved'));
              void load();
            }}
          />
        )}
      </Modal>
      {items && items.length === 0 && <Text>{t('queueEmpty')}</Text>}
    </Stack>
  );
}
