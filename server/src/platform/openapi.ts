import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. TICKET_NOT_FOUND' }),
      message: Type.String({ description: 'Human-readable message (French)' }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { $id: 'ErrorResponse', title: 'Error' },
);

export async function installOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Relais API',
        version: '1',
        description:
          'Hotline et helpdesk. Authentification : `POST /api/v1/auth/tokens` puis `Authorization: Bearer <token>`. ' +
          'Erreurs : `{"error": {"code", "message"}}`. Un numéro de demande (NUM-10001) est accepté partout où un id l’est.',
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
