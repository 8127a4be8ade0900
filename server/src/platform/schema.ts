// The one schema of Relais, gathered from the domains for drizzle and drizzle-kit.
export * from '../domains/auth/auth.schema';
export * from '../domains/contacts/contact.schema';
export * from '../domains/queues/queue.schema';
export * from '../domains/tickets/ticket.schema';
export * from '../domains/channels/channel.schema';
export * from '../domains/portal/portal.schema';
export * from '../domains/knowledge/knowledge.schema';
