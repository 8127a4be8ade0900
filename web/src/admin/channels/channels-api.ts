import { api } from '../../shared/api';

/** `GET /settings/channels`, as provider-settings/channel-status.ts builds it. */
export type Source = 'env' | 'admin' | 'default' | 'none';
export interface SettingView {
  variable: string;
  source: Source;
  value: string | null;
  saved: string | null;
}
export interface SecretView {
  variable: string;
  source: Source;
  saved: boolean;
  unreadable: boolean;
}
export interface MailServer {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'plain';
  user: string | null;
  password: boolean;
  mailbox: string | null;
}
export interface MailServerView {
  variable: string;
  source: Source;
  inUse: MailServer | null;
  saved: MailServer | null;
  unreadable: boolean;
}
interface ProviderMeta {
  ignored: string[];
  changed: { at: string; by: string } | null;
}
export interface ChannelsStatus {
  publicUrl: { value: string; https: boolean; local: boolean };
  secretsKey: 'env' | 'file';
  email: ProviderMeta & {
    outbound: boolean;
    smtpInbound: boolean;
    imap: boolean;
    fromAddress: string;
    replyAddress: string;
    from: SettingView;
    smtp: MailServerView;
    imapServer: MailServerView;
    inbound: { port: number | null; listening: number | null; host: string; domain: string };
    maxBytes: number;
  };
  whatsapp: ProviderMeta & {
    configured: boolean;
    phoneNumberId: string | null;
    webhookUrl: string;
    setByEnvironment: boolean;
    missing: string[];
    settings: { phoneNumberId: SettingView; apiUrl: SettingView; appSecret: SecretView; verifyToken: SecretView; accessToken: SecretView };
  };
  twilio: ProviderMeta & {
    configured: boolean;
    phoneNumber: string | null;
    agentNumber: string | null;
    voiceUrl: string;
    smsUrl: string;
    statusUrl: string;
    setByEnvironment: boolean;
    missing: string[];
    settings: { accountSid: SettingView; phoneNumber: SettingView; agentNumber: SettingView; apiUrl: SettingView; authToken: SecretView };
  };
}

export type Provider = 'email' | 'whatsapp' | 'twilio';

export const channelsApi = {
  status: () => api.get<ChannelsStatus>('/settings/channels'),
  save: (provider: Provider, body: unknown) => api.put<ChannelsStatus>(`/settings/channels/${provider}`, body),
  remove: (provider: Provider) => api.del<ChannelsStatus>(`/settings/channels/${provider}`),
};
