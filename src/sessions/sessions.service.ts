import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/config.js';
import { hashPassword, unknownUserHash, verifyPassword } from '../users/password-hasher.js';
import { passwordProblem } from '../users/rules/password.js';
import { User } from '../users/user.entity.js';
import { Session, SignInFailure } from './session.entity.js';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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
    const user = await this.dataSource.getRepository(User).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
    const matches = await verifyPassword(user?.passwordHash ?? (await unknownUserHash), password);
    if (!user || user.disabled || !matches) {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(SignInFailure, { id: newId('signInFailure'), email: email.toLowerCase(), clientIp, createdAt: this.clock.now() });
        // The email tried, as typed: whose account was guessed at is what an admin looks for.
        await this.audit.record(manager, {
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
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Session).insert(session);
      await manager.getRepository(User).update(user.id, { lastLoginAt: now });
      await this.audit.record(manager, {
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
    const session = await this.dataSource.getRepository(Session).findOneBy({ tokenHash: sha256(token) });
    if (!session || session.endedAt) return undefined;
    const now = this.clock.now();
    if (now >= session.expiresAt || now.getTime() - session.lastSeenAt.getTime() >= this.config.sessionIdleTimeoutMs) return undefined;
    const user = await this.dataSource.getRepository(User).findOneBy({ id: session.userId });
    if (!user || user.disabled) return undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
      await this.dataSource.getRepository(Session).update(session.id, { lastSeenAt: now });
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
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Session).update(session.id, { endedAt: this.clock.now() });
      await this.audit.record(manager, { action: 'session.sign_out', target: { type: 'session', id: session.id }, merchantId: user.merchantId });
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
    await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      await manager.getRepository(User).update(user.id, { passwordHash, updatedAt: now });
      await manager.query(`UPDATE sessions SET ended_at = $3 WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL`, [user.id, session.id, now]);
      await this.audit.record(manager, { action: 'user.change_password', target: { type: 'user', id: user.id }, merchantId: user.merchantId });
    });
  }

  idleExpiry(session: Session): Date {
    const idle = new Date(session.lastSeenAt.getTime() + this.config.sessionIdleTimeoutMs);
    return idle < session.expiresAt ? idle : session.expiresAt;
  }

  private async assertNotLimited(email: string, clientIp: string): Promise<void> {
    const since = new Date(this.clock.now().getTime() - SIGN_IN_WINDOW_MS);
    const [counts] = (await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM sign_in_failures WHERE lower(email) = lower($1) AND created_at > $3) AS by_email,
              (SELECT count(*)::int FROM sign_in_failures WHERE client_ip = $2 AND created_at > $3) AS by_address`,
      [email, clientIp, since],
    )) as { by_email: number; by_address: number }[];
    if (counts!.by_email >= SIGN_IN_FAILURES_PER_EMAIL || counts!.by_address >= SIGN_IN_FAILURES_PER_ADDRESS) {
      throw new GatewayError('rate_limited', 'Too many failed sign-ins; try again in 15 minutes');
    }
  }
}
