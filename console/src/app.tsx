import { useEffect, useState, type ReactNode } from 'react';
import { api, setCsrfToken, unwrap } from './api/client';
import type { Session } from './api/types';
import { ErrorBanner, Loading } from './components/ui';
import { permissionsOf, ROLE_LABELS, type Permissions } from './permissions';
import { Link, match, navigate, useLocation } from './router';
import { Account } from './screens/account';
import { Acquirers } from './screens/acquirers';
import { Archive } from './screens/archive';
import { Audit } from './screens/audit';
import { Home } from './screens/home';
import { MerchantKeys, MerchantDetail, Merchants } from './screens/merchants';
import { PaymentDetail } from './screens/payment';
import { Payments } from './screens/payments';
import { SignIn } from './screens/sign-in';
import { Users } from './screens/users';
import { Webhooks } from './screens/webhooks';
import { SessionContext, useSession } from './session';
import { asApiError, useLoad } from './use-load';

interface NavItem {
  to: string;
  label: string;
  allowed: (can: Permissions) => boolean;
}

const NAV: NavItem[] = [
  { to: '/', label: 'Home', allowed: (can) => can.home },
  { to: '/payments', label: 'Payments', allowed: (can) => can.payments },
  { to: '/archive', label: 'Bulk archive', allowed: (can) => can.archive },
  { to: '/merchants', label: 'Merchants', allowed: (can) => can.merchants },
  { to: '/api-keys', label: 'API keys', allowed: (can) => can.keys && !can.staff },
  { to: '/webhooks', label: 'Webhooks', allowed: (can) => can.webhooks },
  { to: '/users', label: 'Users', allowed: (can) => can.users },
  { to: '/audit', label: 'Audit trail', allowed: (can) => can.audit },
  { to: '/acquirers', label: 'Acquirers', allowed: (can) => can.acquirers },
];

export function App() {
  const loaded = useLoad(() => unwrap(api.GET('/v1/sessions/current')), 'session');
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    if (loaded.loading) return;
    if (loaded.data) setSession(loaded.data);
    else setSession(null);
  }, [loaded.loading, loaded.data]);

  useEffect(() => setCsrfToken(session?.csrf_token ?? null), [session]);

  if (session === undefined) return <Loading what="Opening the console…" />;
  if (session === null) {
    const unexpected = loaded.error && loaded.error.status !== 401 ? loaded.error : undefined;
    return (
      <>
        <ErrorBanner error={unexpected} />
        <SignIn
          onSignedIn={(signedIn) => {
            setCsrfToken(signedIn.csrf_token);
            setSession(signedIn);
          }}
        />
      </>
    );
  }
  const signOut = async () => {
    try {
      await unwrap(api.DELETE('/v1/sessions/current'));
    } catch (error) {
      // Already ended (expired, or signed out elsewhere): the sign-in screen is right either way.
      if (asApiError(error).status !== 401) throw error;
    }
    setCsrfToken(null);
    setSession(null);
    navigate('/', { replace: true });
  };
  return (
    <SessionContext.Provider value={{ session, can: permissionsOf(session.user), signOut }}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const location = useLocation();
  const { session, can, signOut } = useSession();
  const active = (to: string) => (to === '/' ? location.path === '/' : location.path === to || location.path.startsWith(`${to}/`));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" /> Gateway console
        </div>
        <div className="topbar-user">
          <Link to="/account" className="user-link">
            {session.user.name || session.user.email}
            <span className="role-tag">{ROLE_LABELS[session.user.role] ?? session.user.role}</span>
          </Link>
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav className="sidenav" aria-label="Console">
        <ul>
          {NAV.filter((item) => item.allowed(can)).map((item) => (
            <li key={item.to}>
              <Link to={item.to} aria-current={active(item.to) ? 'page' : undefined}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="content" id="main" tabIndex={-1}>
        <Route path={location.path} can={can} />
      </main>
    </div>
  );
}

function Route({ path, can }: { path: string; can: Permissions }): ReactNode {
  let params: Record<string, string> | undefined;
  if (path === '/' && can.home) return <Home />;
  if (path === '/payments' && can.payments) return <Payments />;
  if ((params = match('/payments/:id', path)) && can.payments) return <PaymentDetail key={params.id} id={params.id!} />;
  if (path === '/archive' && can.archive) return <Archive />;
  if (path === '/merchants' && can.merchants) return <Merchants />;
  if ((params = match('/merchants/:id', path)) && can.merchants) return <MerchantDetail key={params.id} id={params.id!} />;
  if (path === '/api-keys' && can.keys && !can.staff) return <MerchantKeys />;
  if (path === '/webhooks' && can.webhooks) return <Webhooks />;
  if (path === '/users' && can.users) return <Users />;
  if (path === '/audit' && can.audit) return <Audit />;
  if (path === '/acquirers' && can.acquirers) return <Acquirers />;
  if (path === '/account') return <Account />;
  return (
    <div className="card">
      <h1>Not found</h1>
      <p>There is no such page in the console, or your role cannot open it.</p>
      <Link to="/">Back home</Link>
    </div>
  );
}
