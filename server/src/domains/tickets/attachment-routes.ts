import type { FastifyInstance } from 'fastify';
import { and, asc, eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { isInlineImage } from '../../../../common/src/attachments';
import type { AppContext } from '../../platform/context';
import { AppError, badRequest, notFound } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { requireStaff } from '../../platform/http';
import { ErrorResponse } from '../../platform/openapi';
import { ALL_STAFF, DESK_STAFF } from '../auth/auth-context';
import { readAttachment, removeStored, safeFilename, storeAttachment, type StoredFile } from './attachment-storage';
import { attachments } from './ticket.schema';
import { getVisibleTicket } from './ticket-queries';
import { lockTicket, snapshot } from './ticket-store';

const AttachmentView = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  messageId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
const view = (a: typeof attachments.$inferSelect) => ({
  id: a.id,
  filename: a.filename,
  contentType: a.contentType,
  sizeBytes: a.sizeBytes,
  sha256: a.sha256,
  messageId: a.messageId,
  createdAt: a.createdAt.toISOString(),
});
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 413: ErrorResponse, 422: ErrorResponse };
const Params = Type.Object({ ref: Type.String({ minLength: 1, maxLength: 64 }) });

export function attachmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { ref: string } }>(
    '/api/v1/tickets/:ref/attachments',
    {
      config: { access: DESK_STAFF },
      schema: { tags: ['tickets'], summary: 'Attach files (multipart/form-data, field "file"; type sniffed, size limited)', params: Params, consumes: ['multipart/form-data'], response: { 201: Type.Object({ items: Type.Array(AttachmentView) }), ...errors } },
    },
    async (req, reply) => {
      const p = requireStaff(req);
      if (!req.isMultipart()) throw badRequest('MULTIPART_REQUIRED', 'Envoyez les fichiers en multipart/form-data (champ « file »).');
      const stored: (StoredFile & { filename: string })[] = [];
      try {
        for await (const part of req.files()) {
          let bytes: Buffer;
          try {
            bytes = await part.toBuffer();
          } catch {
            throw new AppError(413, 'ATTACHMENT_TOO_LARGE', `Le fichier « ${safeFilename(part.filename)} » dépasse la taille maximale de ${Math.round(ctx.config.maxAttachmentBytes / 1024 / 1024)} Mo.`);
          }
          if (!bytes.length) throw badRequest('ATTACHMENT_EMPTY', `Le fichier « ${safeFilename(part.filename)} » est vide.`);
          stored.push({ ...(await storeAttachment(ctx.config.dataDir, bytes, part.filename)), filename: safeFilename(part.filename) });
        }
        if (!stored.length) throw badRequest('ATTACHMENT_MISSING', 'Aucun fichier reçu (champ « file »).');
        const rows = await ctx.db.transaction(async (tx) => {
          const t = await lockTicket(tx, req.params.ref);
          const inserted = await tx
            .insert(attachments)
            .values(stored.map((s) => ({ ticketId: t.id, filename: s.filename, contentType: s.contentType, sizeBytes: s.sizeBytes, sha256: s.sha256, storagePath: s.storagePath, uploadedBy: p.id })))
            .returning();
          await recordEvent(tx, snapshot(t), 'attachment.added', { kind: 'staff', id: p.id }, { attachments: inserted.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType })) });
          return inserted;
        });
        return reply.status(201).send({ items: rows.map(view) });
      } catch (err) {
        // Nothing half-written: files whose rows were not committed are removed.
        await Promise.all(stored.map((s) => removeStored(ctx.config.dataDir, s.storagePath)));
        throw err;
      }
    },
  );

  app.get<{ Params: { ref: string } }>(
    '/api/v1/tickets/:ref/attachments',
    { config: { access: ALL_STAFF }, schema: { tags: ['tickets'], summary: 'List attachments', params: Params, response: { 200: Type.Object({ items: Type.Array(AttachmentView) }), ...errors } } },
    async (req) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      const rows = await ctx.db.select().from(attachments).where(eq(attachments.ticketId, t.id)).orderBy(asc(attachments.createdAt));
      return { items: rows.map(view) };
    },
  );

  app.get<{ Params: { ref: string; id: string }; Querystring: { inline?: boolean } }>(
    '/api/v1/tickets/:ref/attachments/:id',
    {
      config: { access: ALL_STAFF },
      schema: {
        tags: ['tickets'],
        summary: 'Download an attachment (inline=true shows a JPEG, PNG, GIF or WebP photo in the browser; any other file is always a download)',
        params: Type.Object({ ref: Params.properties.ref, id: Type.String({ format: 'uuid' }) }),
        querystring: Type.Object({ inline: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req, reply) => {
      const t = await getVisibleTicket(ctx.db, req.params.ref, requireStaff(req));
      const [a] = await ctx.db.select().from(attachments).where(and(eq(attachments.id, req.params.id), eq(attachments.ticketId, t.id)));
      if (!a) throw notFound('ATTACHMENT_NOT_FOUND', `Aucune pièce jointe ${req.params.id} sur ${t.number}.`);
      const bytes = await readAttachment(ctx.config.dataDir, a.storagePath);
      const inline = req.query.inline === true && isInlineImage(a.contentType);
      return reply
        .header('content-type', a.contentType)
        .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .header('x-content-type-options', 'nosniff')
        // Opened in a tab, a client's file runs nothing and loads nothing, even if a browser misreads it.
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .send(bytes);
    },
  );
}
