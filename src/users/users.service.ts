import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam, notFound } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { isUniqueViolation } from '../database/database-errors.js';
import { Sql } from '../database/sql.js';
import { MERCHANT_EXISTS } from '../merchants/queries/merchants.queries.js';
import { AppConfig } from '../config/config.js';
import { AuditTrail } from '../audit/audit-trail.js';
import type { ListQueryDto } from '../common/list-query.dto.js';
import { CreatedUserResponse, type CreateUserDto, type UpdateUserDto, UserResponse } from './dto/user.dto.js';
import { hashPassword } from './password-hasher.js';
import { generatePassword, isEmail, passwordProblem } from './rules/password.js';
import {
  ANY_ADMIN,
  END_SESSIONS_OF_USER,
  INSERT_USER,
  LOCK_FIRST_ADMIN,
  UPDATE_USER,
  USER_BY_ID,
  USER_BY_ID_FOR_UPDATE,
  listUsers,
  userFromRow,
  userRow,
} from './queries/users.queries.js';
import { isMerchantRole, type User, type UserRole } from './user.entity.js';

/** Anything that identifies the first admin's creation, for the advisory lock starting instances take turns on. */
const FIRST_ADMIN_LOCK = 0x61646d6e; // "admn"

/**
 * People who sign in to the console: created by admins (or, for a merchant's own people, by
 * its merchant admins), or the first admin at the first start.
 */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly sql: Sql,
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
    const created = await this.sql.transaction(async (tx) => {
      await tx.query(LOCK_FIRST_ADMIN, [FIRST_ADMIN_LOCK]);
      const [admin] = await tx.query(ANY_ADMIN);
      if (admin) return false;
      const first = await this.newUser({ email: this.config.adminEmail, name: 'Admin', role: 'admin', merchantId: null }, password);
      await tx.query(INSERT_USER, userRow(first));
      await this.audit.record(tx, { action: 'user.create', target: { type: 'user', id: first.id }, merchantId: null, after: { email: first.email, role: 'admin', first_start: true } });
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
      await this.sql.transaction(async (tx) => {
        await tx.query(INSERT_USER, userRow(user));
        await this.audit.record(tx, {
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
    const { text, values } = listUsers(merchantId, after, query.limit + 1);
    return toPage((await this.sql.query(text, values)).map(userFromRow), query.limit, UserResponse.from);
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
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(USER_BY_ID_FOR_UPDATE, [id]);
      const user = row && userFromRow(row);
      if (!user || (merchantId !== undefined && user.merchantId !== merchantId)) throw notFound('user');
      if (dto.role !== undefined && isMerchantRole(dto.role) !== isMerchantRole(user.role)) {
        throw invalidParam('role', isMerchantRole(user.role) ? "A merchant's person keeps a merchant role" : 'Staff keep a staff role');
      }
      if (id === actorUserId && ((dto.role !== undefined && dto.role !== user.role) || dto.disabled === true)) {
        throw new GatewayError('invalid_state', 'You cannot disable yourself or change your own role');
      }
      // The DTO has its absent fields as undefined properties: only those given change.
      const given = Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)) as UpdateUserDto;
      const changed: User = { ...user, ...given, updatedAt: this.clock.now() };
      await tx.query(UPDATE_USER, [id, changed.name, changed.role, changed.disabled, changed.updatedAt]);
      if (changed.disabled || changed.role !== user.role) await tx.query(END_SESSIONS_OF_USER, [id, changed.updatedAt]);
      const fields = (['name', 'role', 'disabled'] as const).filter((field) => changed[field] !== user[field]);
      await this.audit.record(tx, {
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
    const found = isId('merchant', merchantId) && (await this.sql.query<{ exists: boolean }>(MERCHANT_EXISTS, [merchantId]))[0]!.exists;
    if (!found) throw invalidParam('merchant_id', `No such merchant: ${merchantId}`);
    return merchantId;
  }

  private async find(id: string, merchantId: string | undefined): Promise<User> {
    const [row] = await this.sql.query(USER_BY_ID, [id]);
    const user = row && userFromRow(row);
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
