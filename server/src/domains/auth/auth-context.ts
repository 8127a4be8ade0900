export type StaffRole = 'admin' | 'supervisor' | 'agent' | 'technician';

/** Who is making the request, resolved once per request from the bearer token or session cookie. */
export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  level: number | null;
  skills: string[];
}

/** Route access: 'public', or the roles allowed. Routes without it are refused at registration. */
export type Access = 'public' | readonly StaffRole[];

export const ALL_STAFF: readonly StaffRole[] = ['admin', 'supervisor', 'agent', 'technician'];
export const DESK_STAFF: readonly StaffRole[] = ['admin', 'supervisor', 'agent'];
export const MANAGERS: readonly StaffRole[] = ['admin', 'supervisor'];
export const ADMINS: readonly StaffRole[] = ['admin'];
