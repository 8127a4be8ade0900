import './channels-admin.css';
import type { ReactNode } from 'react';
import { match } from '../../shared/router';
import { ChannelsAdmin } from './ChannelsAdmin';
import { TemplateEditor } from './TemplateEditor';
import { TemplatesAdmin } from './TemplatesAdmin';
import { isTemplateKey } from './templates-api';

/** The admin pages for the client messages and the channels (admins), or null for another address. */
export function channelsAdminRoute(pathname: string): ReactNode {
  if (pathname === '/admin/messages') return <TemplatesAdmin />;
  if (pathname === '/admin/canaux') return <ChannelsAdmin />;
  const edit = match('/admin/messages/:key', pathname);
  if (edit && isTemplateKey(edit.key!)) return <TemplateEditor key={edit.key} templateKey={edit.key} />;
  return null;
}
