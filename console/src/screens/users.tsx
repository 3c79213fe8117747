import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import type { Role, User } from '../api/types';
import { ConfirmButton } from '../components/confirm-dialog';
import { Badge, Empty, ErrorBanner, Field, Id, Loading, PageHeader, Pager, ShownOnce, usePager } from '../components/ui';
import { formatDateTime } from '../format';
import { ROLE_LABELS } from '../permissions';
import { useSession } from '../session';
import { asApiError, useLoad } from '../use-load';

type MerchantRole = Schemas['CreateMerchantUserDto']['role'];
const MERCHANT_ROLES: MerchantRole[] = ['merchant_admin', 'merchant_viewer'];
const isMerchantRole = (role: Role): role is MerchantRole => (MERCHANT_ROLES as Role[]).includes(role);

interface NewUser {
  email: string;
  name: string;
  role: Role;
  merchant_id: string;
  password: string;
}

/**
 * Staff use the admin routes (every user, any role, a merchant role's merchant named); a merchant
 * admin, /v1/users: its own merchant's people, merchant roles only, the merchant implied.
 */
function usersApi(staff: boolean) {
  if (staff) {
    return {
      list: (cursor: string | undefined) => unwrap(api.GET('/v1/admin/users', { params: { query: { limit: 25, cursor } } })),
      create: (user: NewUser) =>
        unwrap(
          api.POST('/v1/admin/users', {
            body: {
              email: user.email,
              name: user.name,
              role: user.role,
              merchant_id: isMerchantRole(user.role) ? user.merchant_id.trim() : undefined,
              password: user.password || undefined,
            },
          }),
        ),
      update: (id: string, body: { name?: string; role?: Role; disabled?: boolean }) => unwrap(api.PATCH('/v1/admin/users/{id}', { params: { path: { id } }, body })),
    };
  }
  return {
    list: (cursor: string | undefined) => unwrap(api.GET('/v1/users', { params: { query: { limit: 25, cursor } } })),
    create: async (user: NewUser) => {
      if (!isMerchantRole(user.role)) throw new ApiError(0, 'invalid_role', 'A merchant admin adds merchant admins and viewers only', 'role', null);
      return unwrap(api.POST('/v1/users', { body: { email: user.email, name: user.name, role: user.role, password: user.password || undefined } }));
    },
    update: async (id: string, { role, ...rest }: { name?: string; role?: Role; disabled?: boolean }) => {
      if (role !== undefined && !isMerchantRole(role)) throw new ApiError(0, 'invalid_role', 'A merchant admin gives merchant roles only', 'role', null);
      return unwrap(api.PATCH('/v1/users/{id}', { params: { path: { id } }, body: { ...rest, role } }));
    },
  };
}

export function Users() {
  const { can, session } = useSession();
  const calls = usersApi(can.staff);
  const roles: Role[] = can.staff ? ['admin', 'support', ...MERCHANT_ROLES] : MERCHANT_ROLES;
  const pager = usePager();
  const users = useLoad(() => calls.list(pager.cursor), `${can.staff ? 'staff' : 'merchant'}|${pager.cursor ?? ''}`);
  const [form, setForm] = useState<NewUser>({ email: '', name: '', role: roles[roles.length - 1]!, merchant_id: '', password: '' });
  const [created, setCreated] = useState<Schemas['CreatedUserResponse'] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      setCreated(await calls.create(form));
      setForm({ ...form, email: '', name: '', password: '' });
      users.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };
  const patch = (id: string, body: { name?: string; role?: Role; disabled?: boolean }) => calls.update(id, body);

  return (
    <>
      <PageHeader title="Users" />
      {can.manageUsers && (
        <form className="card" onSubmit={(event) => void create(event)}>
          <h2>Add a user</h2>
          <div className="form-grid">
            <Field label="Email"><input type="email" required value={form.email} onChange={(event) => setForm({ ...form, email: event.target.value })} /></Field>
            <Field label="Name"><input type="text" required value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} /></Field>
            <Field label="Role">
              <select value={form.role} onChange={(event) => setForm({ ...form, role: event.target.value as Role })}>
                {roles.map((role) => <option key={role} value={role}>{ROLE_LABELS[role]}</option>)}
              </select>
            </Field>
            {can.staff && isMerchantRole(form.role) && (
              <Field label="Merchant id"><input type="text" className="mono" required placeholder="mer_…" value={form.merchant_id} onChange={(event) => setForm({ ...form, merchant_id: event.target.value })} /></Field>
            )}
            <Field label="Password (optional)" hint="Empty: one is generated and shown once">
              <input type="password" autoComplete="new-password" minLength={12} value={form.password} onChange={(event) => setForm({ ...form, password: event.target.value })} />
            </Field>
          </div>
          <button type="submit" className="button button-primary">Add user</button>
          <ErrorBanner error={error} />
          {created?.password && <ShownOnce label={`Password of ${created.email}`} value={created.password} onDone={() => setCreated(undefined)} />}
        </form>
      )}
      <section className="card card-flush">
        <ErrorBanner error={users.error} />
        {users.loading && !users.data && <Loading />}
        {users.data && users.data.data.length === 0 && <Empty>No users.</Empty>}
        {users.data && users.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col">Last sign-in</th><th scope="col">User</th>{can.manageUsers && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {users.data.data.map((user) => (
                <tr key={user.id}>
                  <td className="free-text">{user.name}</td>
                  <td className="email">{user.email}</td>
                  <td>
                    {can.manageUsers && user.id !== session.user.id ? (
                      <RoleSelect user={user} roles={roles} onChange={(role) => patch(user.id, { role }).then(users.reload)} />
                    ) : (
                      ROLE_LABELS[user.role] ?? user.role
                    )}
                    {can.staff && user.merchant_id && <> <Id value={user.merchant_id} /></>}
                  </td>
                  <td><Badge status={user.disabled ? 'disabled' : 'enabled'} /></td>
                  <td className="when">{formatDateTime(user.last_login_at)}</td>
                  <td><Id value={user.id} /></td>
                  {can.manageUsers && (
                    <td className="row-actions">
                      {user.id !== session.user.id && (
                        <ConfirmButton
                          label={user.disabled ? 'Enable' : 'Disable'}
                          title={`${user.disabled ? 'Enable' : 'Disable'} ${user.email}`}
                          confirmLabel={user.disabled ? 'Enable' : 'Disable'}
                          danger={!user.disabled}
                          body={<p>{user.disabled ? 'They can sign in again.' : 'Their sessions end now and they cannot sign in.'}</p>}
                          run={async () => {
                            await patch(user.id, { disabled: !user.disabled });
                          }}
                          onDone={users.reload}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {users.data && <Pager pager={pager} hasMore={users.data.has_more} nextCursor={users.data.next_cursor} />}
      </section>
    </>
  );
}

function RoleSelect({ user, roles, onChange }: { user: User; roles: Role[]; onChange: (role: Role) => Promise<unknown> }) {
  const [error, setError] = useState<ApiError | undefined>();
  return (
    <>
      <select
        aria-label={`Role of ${user.email}`}
        value={user.role}
        onChange={(event) => {
          setError(undefined);
          onChange(event.target.value as Role).catch((caught: unknown) => setError(asApiError(caught)));
        }}
      >
        {roles.includes(user.role) ? null : <option value={user.role}>{ROLE_LABELS[user.role] ?? user.role}</option>}
        {roles.map((role) => <option key={role} value={role}>{ROLE_LABELS[role]}</option>)}
      </select>
      <ErrorBanner error={error} />
    </>
  );
}
