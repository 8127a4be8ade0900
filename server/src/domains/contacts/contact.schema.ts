import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';

export const channelKind = pgEnum('channel_kind', ['phone', 'whatsapp', 'web', 'email', 'sms']);
export const identityKind = pgEnum('identity_kind', ['phone', 'email', 'whatsapp']);

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    preferredChannel: channelKind('preferred_channel'),
    notes: text('notes').notNull().default(''),
    trainedOn: text('trained_on').array().notNull().default(sql`'{}'::text[]`),
    auditCompletedAt: timestamp('audit_completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('contacts_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`)],
);

/**
 * Phones, emails and WhatsApp ids live in their own rows so the database itself
 * guarantees one contact per identity, even when two requests arrive at once.
 */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    kind: identityKind('kind').notNull(),
    // Normalised value: E.164 for phones and WhatsApp, lower-case for emails.
    value: text('value').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('contact_identities_kind_value_key').on(t.kind, t.value), index('contact_identities_contact_idx').on(t.contactId)],
);
