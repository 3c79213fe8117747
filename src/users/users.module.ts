import { Module } from '@nestjs/common';
import { MerchantUsersController } from './merchant-users.controller.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  controllers: [UsersController, MerchantUsersController],
  providers: [UsersService],
})
export class UsersModule {}
