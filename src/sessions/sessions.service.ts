import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuditTrail } from '../audit/audit-trail.js';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/config.js';
import { Sql } from '../database/sql.js';
import { hashPassword, unknownUserHash, verifyPassword } from '../users/password-hasher.js';
import { passwordProblem } from '../users/rules/password.js';
import { SET_LAST_LOGIN, SET_PASSWORD, USER_BY_EMAIL, USER_BY_ID, userFromRow } from '../users/queries/users.queries.js';
import type { User } from '../users/user.entity.js';
import {
  END_OTHER_SESSIONS,
  END_SESSION,
  INSERT_SESSION,
  INSERT_SIGN_IN_FAILURE,
  SESSION_BY_TOKEN_HASH,
  SIGN_IN_FAILURE_COUNTS,
  TOUCH_SESSION,
  sessionFromRow,
  sessionRow,
} from './queries/sessions.queries.js';
import type { Session } from './session.entity.js';

/** Failed sign-ins counted over this window, per email and per client address. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;
export const SIGN_IN_FAILURES_PER_EMAIL = 5;
export const SIGN_IN_FAILURES_PER_ADDRESS = 20;

/** last_seen_at is written at most this often: a busy console does not write on every request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SignedIn {
  session: Session;
  user: User;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Sign-in with email and password, and the sessions it opens: a random token in the cookie,
 * its SHA-256 in the database (so any instance accepts it, and ending it ends it everywhere),
 * idle and absolute expiry, and failed attempts limited per email and per address, counted in
 * the database so that every instance sees them.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sql: Sql,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The same answer, and the same work, for an unknown email, a disabled user and a wrong
   * password: the answer tells nothing about which accounts exist.
   */
  async signIn(email: string, password: string, clientIp: string): Promise<SignedIn & { token: string }> {
    await this.assertNotLimited(email, clientIp);
    const [row] = await this.sql.query(USER_BY_EMAIL, [email]);
    const user = row && userFromRow(row);
    const matches = await verifyPassword(user?.passwordHash ?? (await unknownUserHash), password);
    if (!user || user.disabled || !matches) {
      await this.sql.transaction(async (tx) => {
        await tx.query(INSERT_SIGN_IN_FAILURE, [newId('signInFailure'), email.toLowerCase(), clientIp, this.clock.now()]);
        // The email tried, as typed: whose account was guessed at is what an admin looks for.
        await this.audit.record(tx, {
          action: 'session.sign_in_failed',
          actor: { type: 'anonymous', id: null },
          target: { type: 'user', id: user?.id ?? email.toLowerCase() },
          merchantId: user?.merchantId ?? null,
          after: { email },
        });
      });
      throw new GatewayError('invalid_credentials', 'Email or password is incorrect');
    }
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      id: newId('session'),
      userId: user.id,
      tokenHash: sha256(token),
      csrfToken: randomBytes(24).toString('base64url'),
      clientIp,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionMaxAgeMs),
      endedAt: null,
    };
    await this.sql.transaction(async (tx) => {
      await tx.query(INSERT_SESSION, sessionRow(session));
      await tx.query(SET_LAST_LOGIN, [user.id, now]);
      await this.audit.record(tx, {
        action: 'session.sign_in',
        actor: { type: 'user', id: user.id },
        target: { type: 'session', id: session.id },
        merchantId: user.merchantId,
      });
    });
    return { session, user: { ...user, lastLoginAt: now }, token };
  }

  /** The live session and its user for a cookie's token; undefined once it ended, expired, or its user was disabled. */
  async authenticate(token: string): Promise<SignedIn | undefined> {
    const [stored] = await this.sql.query(SESSION_BY_TOKEN_HASH, [sha256(token)]);
    const session = stored && sessionFromRow(stored);
    if (!session || session.endedAt) return undefined;
    const now = this.clock.now();
    if (now >= session.expiresAt || now.getTime() - session.lastSeenAt.getTime() >= this.config.sessionIdleTimeoutMs) return undefined;
    const [row] = await this.sql.query(USER_BY_ID, [session.userId]);
    const user = row && userFromRow(row);
    if (!user || user.disabled) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await this.sql.query(TOUCH_SESSION, [session.id, now]);
      session.lastSeenAt = now;
    }
    return { session, user };
  }

  /** Whether `given` is the session's CSRF token, compared in constant time. */
  csrfMatches(session: Session, given: string | undefined): boolean {
    const [a, b] = [Buffer.from(given ?? ''), Buffer.from(session.csrfToken)];
    return a.length === b.length && timingSafeEqual(a, b);
  }

  async signOut({ session, user }: SignedIn): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(END_SESSION, [session.id, this.clock.now()]);
      await this.audit.record(tx, { action: 'session.sign_out', target: { type: 'session', id: session.id }, merchantId: user.merchantId });
    });
  }

  /** A new password ends every other session of the user: whoever else knew the old one is out. */
  async changePassword({ session, user }: SignedIn, current: string, next: string): Promise<void> {
    if (!(await verifyPassword(user.passwordHash, current))) {
      throw new GatewayError('password_incorrect', 'current_password is not your password', 'current_password');
    }
    const problem = passwordProblem(next);
    if (problem) throw invalidParam('new_password', problem.replace(/^password/, 'new_password'));
    const passwordHash = await hashPassword(next);
    await this.sql.transaction(async (tx) => {
      const now = this.clock.now();
      await tx.query(SET_PASSWORD, [user.id, passwordHash, now]);
      await tx.query(END_OTHER_SESSIONS, [user.id, session.id, now]);
      await this.audit.record(tx, { action: 'user.change_password', target: { type: 'user', id: user.id }, merchantId: user.merchantId });
    });
  }

  idleExpiry(session: Session): Date {
    const idle = new Date(session.lastSeenAt.getTime() + this.config.sessionIdleTimeoutMs);
    return idle < session.expiresAt ? idle : session.expiresAt;
  }

  private async assertNotLimited(email: string, clientIp: string): Promise<void> {
    const since = new Date(this.clock.now().getTime() - SIGN_IN_WINDOW_MS);
    const [counts] = await this.sql.query<{ by_email: number; by_address: number }>(SIGN_IN_FAILURE_COUNTS, [email, clientIp, since]);
    if (counts!.by_email >= SIGN_IN_FAILURES_PER_EMAIL || counts!.by_address >= SIGN_IN_FAILURES_PER_ADDRESS) {
      throw new GatewayError('rate_limited', 'Too many failed sign-ins; try again in 15 minutes');
    }
  }
}
