import type { FastifyInstance } from 'fastify';
import { ALL_STAFF } from '../domains/auth/auth-context';
import type { AppContext } from './context';
import { requireStaff } from './http';

/**
 * `GET /api/v1/realtime` (WebSocket): ticket events and notifications for the signed-in
 * staff member. Authenticated like every route (bearer, session cookie, or access_token).
 */
export function realtimeRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/realtime', { websocket: true, config: { access: ALL_STAFF }, schema: { hide: true } }, (socket, req) => {
    const p = requireStaff(req);
    const unsubscribe = ctx.realtime.subscribe({ staffId: p.id, role: p.role, level: p.level }, (msg) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    });
    socket.send(JSON.stringify({ type: 'hello', staffId: p.id, role: p.role, level: p.level }));
    // A ping every 25 s keeps proxies from closing an idle console connection.
    const ping = setInterval(() => socket.ping(), 25_000);
    socket.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
  });
}
