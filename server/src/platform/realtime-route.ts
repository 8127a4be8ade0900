import type { FastifyInstance } from 'fastify';
import { ALL_STAFF } from '../domains/auth/auth-context';
import type { AppContext } from './context';
import { requireStaff } from './http';

/**
 * `GET /api/v1/realtime` (WebSocket): ticket events, notifications and presence for the signed-in
 * staff member. Authenticated like every route (bearer, session cookie, or access_token).
 * The console sends `{type: 'presence', ticketId, state: 'viewing' | 'typing' | 'left', composing?}`;
 * anything else is answered with `{type: 'error', code, message}` and changes nothing.
 */
export function realtimeRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/realtime', { websocket: true, config: { access: ALL_STAFF }, schema: { hide: true } }, (socket, req) => {
    const p = requireStaff(req);
    const subscription = ctx.realtime.subscribe({ staffId: p.id, role: p.role, level: p.level, name: p.name }, (msg) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(msg));
    });
    socket.on('message', (data) => subscription.receive(String(data)));
    socket.send(JSON.stringify({ type: 'hello', staffId: p.id, role: p.role, level: p.level }));
    // A ping every 25 s keeps proxies from closing an idle console connection.
    const ping = setInterval(() => socket.ping(), 25_000);
    socket.on('close', () => {
      clearInterval(ping);
      subscription.close();
    });
  });
}
