import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { isUniqueViolation } from '../database/database-errors.js';
import { AppConfig } from '../config/config.js';
import { CreatedUserResponse, type CreateUserDto, type ListUsersQuery, type UpdateUserDto, UserResponse } from './dto/user.dto.js';
import { hashPassword } from './password-hasher.js';
import { generatePassword, isEmail, passwordProblem } from './rules/password.js';
import { User } from './user.entity.js';

/** Anything that identifies the first admin's creation, for the advisory lock starting instances take turns on. */
const FIRST_ADMIN_LOCK = 0x61646d6e; // "admn"

/** People who sign in to the console: created by admins, or the first admin at the first start. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Users');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
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
      await manager.getRepository(User).insert(await this.newUser({ email: this.config.adminEmail, name: 'Admin', role: 'admin' }, password));
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

  async create(dto: CreateUserDto): Promise<CreatedUserResponse> {
    if (!isEmail(dto.email)) throw invalidParam('email', 'email must be an email address');
    if (dto.password !== undefined) {
      const problem = passwordProblem(dto.password);
      if (problem) throw invalidParam('password', problem);
    }
    const password = dto.password ?? generatePassword();
    const user = await this.newUser(dto, password);
    try {
      await this.dataSource.getRepository(User).insert(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new GatewayError('email_taken', 'A user with this email exists already', 'email');
      throw error;
    }
    return { ...UserResponse.from(user), ...(dto.password === undefined && { password }) };
  }

  async list(query: ListUsersQuery): Promise<Page<UserResponse>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where(after ? '(u.created_at, u.id) < (:createdAt, :id)' : 'true', after ?? {})
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(query.limit + 1)
      .getMany();
    return toPage(rows, query.limit, UserResponse.from);
  }

  async get(id: string): Promise<UserResponse> {
    return UserResponse.from(await this.find(id));
  }

  /** Disabling a user ends their sessions in the same transaction: no request of theirs passes after. */
  async update(actorUserId: string | undefined, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    if (id === actorUserId && ((dto.role !== undefined && dto.role !== 'admin') || dto.disabled === true)) {
      throw new GatewayError('invalid_state', 'You cannot disable yourself or take away your own admin role');
    }
    return this.dataSource.transaction(async (manager) => {
      const user = await manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw notFound('user');
      const changed: User = { ...user, ...dto, updatedAt: this.clock.now() };
      await manager.getRepository(User).update(id, { name: changed.name, role: changed.role, disabled: changed.disabled, updatedAt: changed.updatedAt });
      if (changed.disabled || changed.role !== user.role) {
        await manager.query(`UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL`, [id, changed.updatedAt]);
      }
      return UserResponse.from(changed);
    });
  }

  private async find(id: string): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id });
    if (!user) throw notFound('user');
    return user;
  }

  private async newUser(fields: Pick<User, 'email' | 'name' | 'role'>, password: string): Promise<User> {
    const now = this.clock.now();
    return {
      id: newId('user'),
      email: fields.email,
      name: fields.name,
      role: fields.role,
      passwordHash: await hashPassword(password),
      disabled: false,
      lastLoginAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }
}
