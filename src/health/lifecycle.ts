import { Injectable } from '@nestjs/common';

/** Set when the instance starts stopping: readiness fails so load balancers move on. */
@Injectable()
export class Lifecycle {
  stopping = false;
}
