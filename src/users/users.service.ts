import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam, notFound } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { isUniqueViolation } from '../database/database-errors.js';
import { AppConfig } from '../config/config.js';
import { AuditTrail } from '../audit/audit-trail.js';
import type { ListQueryDto } from '../common/list-query.dto.js';
import { CreatedUserResponse, type CreateUserDto, type UpdateUserDto, UserResponse } from './dto/user.dto.js';
import { hashPassword } from './password-hasher.js';
import { generatePassword, isEmail, passwordProblem } from './rules/password.js';
import { isMerchantRole, User, type UserRole } from './user.entity.js';

/** Anything that identifies the first admin's creation, for the advisory lock starting instances take turns on. */
const FIRST_ADMIN_LOCK = 0x61646d6e; // "admn"

const LIST_USERS = `
  SELECT * FROM users
   WHERE ($1::text IS NULL OR merchant_id = $1)
     AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
   ORDER BY created_at DESC, id DESC
   LIMIT $4`;

function userFromRow(row: Record<string, unknown>): User {
  return {
    id: row.id as string,
    email: row.email as string,
    name: row.name as string,
    role: row.role as UserRole,
    merchantId: row.merchant_id as string | null,
    passwordHash: row.password_hash as string,
    disabled: row.disabled as boolean,
    lastLoginAt: row.last_login_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

/**
 * People who sign in to the console: created by admins (or, for a merchant's own people, by
 * its merchant admins), or the first admin at the first start.
 */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * Without an admin user, the first instance to start creates one: ADMIN_EMAIL and
   * ADMIN_PASSWORD, or a generated password printed once (as the admin key is).
   */
  async onApplicationBootstrap(): Promise<void> {
    const password = this.config.adminPassword ?? generatePassword();
    const created = await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      const [admin] = (await manager.query(`SELECT id FROM users WHERE role = 'admin' LIMIT 1`)) as unknown[];
      if (admin) return false;
      const first = await this.newUser({ email: this.config.adminEmail, name: 'Admin', role: 'admin', merchantId: null }, password);
      await manager.getRepository(User).insert(first);
      await this.audit.record(manager, { action: 'user.create', target: { type: 'user', id: first.id }, merchantId: null, after: { email: first.email, role: 'admin', first_start: true } });
      return true;
    });
    if (!created) return;
    if (this.config.adminPassword) {
      this.logger.log(`Created the first admin user, ${this.config.adminEmail}, with ADMIN_PASSWORD`);
    } else {
      this.logger.warn(
        `No admin user existed, so ${this.config.adminEmail} was created. Its password is shown this once; sign in and change it:\n\n    ${password}\n`,
      );
    }
  }

  /**
   * `merchantId`: the merchant a merchant admin makes a person for (their own); undefined for an
   * admin, who names it in the body for a merchant role.
   */
  async create(dto: CreateUserDto, merchantId?: string): Promise<CreatedUserResponse> {
    if (!isEmail(dto.email)) throw invalidParam('email', 'email must be an email address');
    const owner = merchantId ?? (await this.merchantOf(dto.role, dto.merchant_id));
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password);
      if (problem) throw invalidParam('password', problem);
    }
    const password = dto.password ?? generatePassword();
    const user = await this.newUser({ email: dto.email, name: dto.name, role: dto.role, merchantId: owner }, password);
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(User).insert(user);
        await this.audit.record(manager, {
          action: 'user.create',
          target: { type: 'user', id: user.id },
          merchantId: user.merchantId,
          after: { email: user.email, name: user.name, role: user.role, merchant_id: user.merchantId },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new GatewayError('email_taken', 'A user with this email exists already', 'email');
      throw error;
    }
    return { ...UserResponse.from(user), ...(dto.password === undefined && { password }) };
  }

  /** `merchantId`: only that merchant's people; undefined for everyone. */
  async list(query: ListQueryDto, merchantId: string | undefined): Promise<Page<UserResponse>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = (await this.dataSource.query(LIST_USERS, [merchantId ?? null, after?.createdAt ?? null, after?.id ?? null, query.limit + 1])) as Record<string, unknown>[];
    return toPage(rows.map(userFromRow), query.limit, UserResponse.from);
  }

  async get(id: string, merchantId?: string): Promise<UserResponse> {
    return UserResponse.from(await this.find(id, merchantId));
  }

  /**
   * Disabling a user, or changing their role, ends their sessions in the same transaction: no
   * request of theirs passes after. A person keeps their kind: staff stay staff, and a
   * merchant's people stay that merchant's.
   */
  async update(actorUserId: string | undefined, id: string, dto: UpdateUserDto, merchantId?: string): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user || (merchantId !== undefined && user.merchantId !== merchantId)) throw notFound('user');
      if (dto.role !== undefined && isMerchantRole(dto.role) !== isMerchantRole(user.role)) {
        throw invalidParam('role', isMerchantRole(user.role) ? "A merchant's person keeps a merchant role" : 'Staff keep a staff role');
      }
      if (id === actorUserId && ((dto.role !== undefined && dto.role !== user.role) || dto.disabled === true)) {
        throw new GatewayError('invalid_state', 'You cannot disable yourself or change your own role');
      }
      const changed: User = { ...user, ...dto, updatedAt: this.clock.now() };
      await manager.getRepository(User).update(id, { name: changed.name, role: changed.role, disabled: changed.disabled, updatedAt: changed.updatedAt });
      if (changed.disabled || changed.role !== user.role) {
        await manager.query(`UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [id, changed.updatedAt]);
      }
      const fields = (['name', 'role', 'disabled'] as const).filter((field) => changed[field] !== user[field]);
      await this.audit.record(manager, {
        action: 'user.update',
        target: { type: 'user', id },
        merchantId: user.merchantId,
        before: Object.fromEntries(fields.map((field) => [field, user[field]])),
        after: Object.fromEntries(fields.map((field) => [field, changed[field]])),
      });
      return UserResponse.from(changed);
    });
  }

  /** A merchant role's existing merchant, or null for staff. */
  private async merchantOf(role: UserRole, merchantId: string | undefined): Promise<string | null> {
    if (!isMerchantRole(role)) {
      if (merchantId !== undefined) throw invalidParam('merchant_id', 'merchant_id is for merchant roles only');
      return null;
    }
    if (merchantId === undefined) throw new GatewayError('parameter_missing', `A ${role} needs merchant_id`, 'merchant_id');
    const [found] = isId('merchant', merchantId) ? ((await this.dataSource.query('SELECT 1 FROM merchants WHERE id = $1', [merchantId])) as unknown[]) : [];
    if (!found) throw invalidParam('merchant_id', `No such merchant: ${merchantId}`);
    return merchantId;
  }

  private async find(id: string, merchantId: string | undefined): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user || (merchantId !== undefined && user.merchantId !== merchantId)) throw notFound('user');
    return user;
  }

  private async newUser(fields: Pick<User, 'email' | 'name' | 'role' | 'merchantId'>, password: string): Promise<User> {
    const now = this.clock.now();
    return {
      id: newId('user'),
      email: fields.email,
      name: fields.name,
      role: fields.role,
      merchantId: fields.merchantId,
      passwordHash: await hashPassword(password),
      disabled: false,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }
}
