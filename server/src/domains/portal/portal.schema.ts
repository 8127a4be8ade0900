import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { contacts } from '../contacts/contact.schema';
import { tickets } from '../tickets/ticket.schema';

/**
 * Magic links: the way a client opens "Mes demandes" without a password. Only a SHA-256 of
 * the token is kept; a link works once and for 7 days, and can be asked for again.
 */
export const portalMagicLinks = pgTable(
  'portal_magic_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    // The request that caused the link (confirmation message); null when re-sent on demand.
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('portal_magic_links_contact_idx').on(t.contactId)],
);

/**
 * Portal sessions (cookie `relais_portal`, 30 days), hashed at rest like staff tokens.
 * `ticketIds` null: every request of the contact (the session came from a magic link, which
 * proves the client receives the contact's messages). A list: only those requests (the session
 * came from filling in the form, which proves nothing about who owns the phone or email typed).
 */
export const portalSessions = pgTable(
  'portal_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    ticketIds: uuid('ticket_ids').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('portal_sessions_contact_idx').on(t.contactId)],
);

/** The client's satisfaction rating: one per request, given once it is resolved. */
export const portalRatings = pgTable(
  'portal_ratings',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    score: smallint('score').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('portal_ratings_score_range', sql`${t.score} between 1 and 5`)],
);

/** ALTCHA challenges already used, kept until they expire, so a solved challenge is accepted once. */
export const portalCaptchaUses = pgTable(
  'portal_captcha_uses',
  {
    signature: text('signature').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('portal_captcha_uses_expires_idx').on(t.expiresAt)],
);

/**
 * Hits per bucket (route + hashed client address, or route + identity) and fixed window:
 * every app node counts in the same rows, so a limit holds however many nodes serve.
 */
export const portalRateLimits = pgTable(
  'portal_rate_limits',
  {
    bucket: text('bucket').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index('portal_rate_limits_window_idx').on(t.windowStart)],
);

/**
 * Server secrets shared by every app node: the verification code an adviser reads out must be
 * the same whichever node the console and the portal talk to. Created on first use.
 */
export const portalSecrets = pgTable('portal_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
